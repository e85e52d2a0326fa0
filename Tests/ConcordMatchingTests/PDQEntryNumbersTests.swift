import Testing

@testable import ConcordMatching

@Suite("PDQ entry numbers")
struct PDQEntryNumbersTests {
    @Test(
        "find, replace and forget entries as a dictionary of whole hashes does, with its own keys or with keys that collide",
        arguments: [false, true])
    func agreesWithADictionary(colliding: Bool) {
        var generator = SplitMix(seed: 17)
        let pool = (0..<300).map { _ in PDQIndexTests.random(&generator) }
        // Each hash twice, as entries `h` and `300 + h`: a value withdrawn and shared again.
        var index = PDQIndex()
        index.insert(contentsOf: pool + pool)
        var numbers = PDQEntryNumbers()
        if colliding { numbers.key = { Int($0.words.0 % 8) } }
        var expected: [PDQHash: Int] = [:]
        for _ in 0..<20_000 {
            let number = Int(generator.next() % 300)
            let hash = pool[number]
            if generator.next() % 3 == 0 {
                numbers.remove(hash, in: index)
                expected[hash] = nil
            } else {
                let entry = number + 300 * Int(generator.next() % 2)
                numbers.set(entry, for: hash, in: index)
                expected[hash] = entry
            }
            #expect(numbers.entry(of: hash, in: index) == expected[hash])
        }
        #expect(numbers.count == expected.count)
        #expect(pool.allSatisfy { numbers.entry(of: $0, in: index) == expected[$0] })
        #expect(expected.count > 100)
    }
}
