import Testing

@Test func placeholder_SitbreakCtlTests() {}
