import Testing

@testable import ConcordMatching

@Suite struct RecentResultsTests {
    @Test func computesOnceAndStaysBounded() {
        let cache = RecentResults<Int, Int>(limit: 4)
        var computed = 0
        func value(_ key: Int) -> Int {
            cache.value(for: key) {
                computed += 1
                return key * 10
            }
        }
        #expect(value(1) == 10)
        #expect(value(1) == 10)
        #expect(computed == 1)
        for key in 2...4 { _ = value(key) }
        #expect(computed == 4)
        // Full: the next new key empties the cache, so an old one is computed again.
        _ = value(5)
        #expect(value(1) == 10)
        #expect(computed == 6)
        cache.removeAll()
        _ = value(5)
        #expect(computed == 7)
    }

    @Test func exactTextComparesBytes() {
        let composed = "Jos\u{E9}"
        let decomposed = "Jose\u{301}"
        // Equal as Swift strings, two keys as written.
        #expect(composed == decomposed)
        #expect(ExactText(composed) != ExactText(decomposed))
        #expect(ExactText(composed) == ExactText(String(composed)))
        #expect(ExactText(composed).hashValue == ExactText("Jos\u{E9}").hashValue)
        #expect(ExactText("Wei Li".components(separatedBy: " ")[0]) == ExactText("Wei"))
        #expect(ExactText("") == ExactText(""))
        #expect(ExactText("ab") != ExactText("abc"))
    }
}
