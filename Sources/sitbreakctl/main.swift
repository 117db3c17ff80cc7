print("sitbreakctl")
