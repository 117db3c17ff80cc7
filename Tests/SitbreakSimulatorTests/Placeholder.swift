import Testing

@Test func placeholder_SitbreakSimulatorTests() {}
