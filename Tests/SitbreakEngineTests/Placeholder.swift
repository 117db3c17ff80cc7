import Testing

@Test func placeholder_SitbreakEngineTests() {}
