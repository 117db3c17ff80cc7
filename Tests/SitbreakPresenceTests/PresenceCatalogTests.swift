import SitbreakConfig
import SitbreakPresence
import Testing

/// The catalog and the configuration agree on every source name, and the chains follow
/// `[presence]`.
@Suite struct PresenceCatalogTests {
    @Test func theConfigurationKnowsExactlyTheCatalogsSources() {
        let fromConfig = Dictionary(
            uniqueKeysWithValues: PresencePreferences.knownSources.map { ($0.question, $0.sources) })
        let fromCatalog = Dictionary(
            uniqueKeysWithValues: PresenceCatalog.defaultOrder.map { ($0.key.rawValue, $0.value) })
        #expect(fromConfig == fromCatalog)
    }

    @Test func everyNamedSourceExists() {
        for (question, names) in PresenceCatalog.defaultOrder {
            for name in names {
                #expect(PresenceCatalog.makeSource(name, for: question) != nil, "\(question.rawValue): \(name)")
            }
        }
    }

    @Test func aPinnedIdleChainStillEndsInAlways() {
        let chains = PresenceCatalog.chains([.idle: ["terminal"], .inhibit: []])
        let idle = chains.first { $0.0 == .idle }?.1.map(\.id)
        #expect(idle == ["terminal", "always"])
        #expect(chains.first { $0.0 == .inhibit }?.1.isEmpty == true)
        #expect(chains.map(\.0) == [.suspend, .lock, .idle, .inhibit])
    }
}
