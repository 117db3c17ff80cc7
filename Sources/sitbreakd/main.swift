print("sitbreakd: not yet")
