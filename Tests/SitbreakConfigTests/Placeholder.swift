import Testing

@Test func placeholder_SitbreakConfigTests() {}
