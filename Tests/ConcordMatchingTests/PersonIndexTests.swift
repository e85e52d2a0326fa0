import ConcordCore
import Testing

@testable import ConcordMatching

/// Candidate generation: found across scripts and spellings, following changes, never a scan.
@Suite struct PersonIndexTests {
    static let matcher = PersonMatcher()!

    static func id(_ number: Int) -> RecordID {
        RecordID(rawValue: "person-\(number)")
    }

    static func search(
        _ index: PersonIndex, _ names: [String], born: String? = nil, isVisible: (RecordID) -> Bool = { _ in true }
    ) -> PersonIndex.SearchResult {
        var scratch = PersonIndex.Scratch()
        let query = PreparedPerson(PersonDescription(names: names, dateOfBirth: born.flatMap(PartialDate.init)))
        return index.search(query, matcher: matcher, scratch: &scratch, isVisible: isVisible)
    }

    static func top(_ index: PersonIndex, _ names: [String], born: String? = nil) -> RecordID? {
        search(index, names, born: born).candidates.first { $0.match.match }?.id
    }

    /// Persons written in their own scripts, and a few near neighbours that must rank lower.
    static func crossScriptIndex() -> PersonIndex {
        var index = PersonIndex()
        let people: [(Int, [String], String?)] = [
            (1, ["محمد علي"], "1980-05-17"),
            (2, ["Александр Пушкин"], "1979-06-06"),
            (3, ["张伟"], "1985-01-02"),
            (4, ["Γεώργιος Παπαδόπουλος"], nil),
            (5, ["משה כהן"], "1962"),
            (6, ["Jean-Pierre Dupont"], nil),
            (7, ["Abdul Aziz Al-Saud"], nil),
            (8, ["Jonathan Smith"], nil),
            (9, ["Mahmoud Ali"], "1980-05-17"),
            (10, ["Zhang Li"], "1985-01-02"),
            (11, ["Ivan Petrov", "Иван Петров"], nil),
        ]
        for (number, names, born) in people {
            index.upsert(id: id(number), PersonDescription(names: names, dateOfBirth: born.flatMap(PartialDate.init)))
        }
        return index
    }

    @Test(arguments: [
        (["Mohammed Ali"], 1), (["Muhammad Ali"], 1), (["Aleksandr Pushkin"], 2), (["Alexander Puschkin"], 2),
        (["Zhang Wei"], 3), (["張偉"], 3), (["Wei Zhang"], 3), (["Georgios Papadopoulos"], 4),
        (["PAPADOPOULOS Georgios"], 4), (["Moshe Cohen"], 5), (["Jeanpierre Dupont"], 6),
        (["Abdulaziz Alsaud"], 7), (["Jonathon Smiht"], 8), (["Iwan Petrow"], 11),
    ])
    func candidatesAreFoundAcrossScriptsAndSpellings(_ query: ([String], Int)) {
        let index = Self.crossScriptIndex()
        let result = Self.search(index, query.0)
        #expect(
            result.candidates.first?.id == Self.id(query.1),
            "\(query.0): \(result.candidates.map(\.match.summary))")
        #expect(result.candidates.first?.match.match == true)
    }

    @Test func dateOfBirthRanksTheRightPersonFirst() {
        let index = Self.crossScriptIndex()
        let result = Self.search(index, ["Mohammed Ali"], born: "1980-05-17")
        #expect(result.candidates.first?.id == Self.id(1))
        let mahmoud = result.candidates.first { $0.id == Self.id(9) }
        #expect(mahmoud == nil || mahmoud!.match.score < result.candidates[0].match.score)
    }

    @Test func birthDatesRankTheShortlist() {
        func rank(_ queried: String?, _ recorded: String?) -> Float {
            PersonIndex.birthRank(
                PersonIndex.packedDate(queried.flatMap(PartialDate.init)),
                PersonIndex.packedDate(recorded.flatMap(PartialDate.init)))
        }
        #expect(rank("1980-05-17", "1980-05-17") == 1)
        #expect(rank("1980-05-17", "1980-06-17") == 0.5)
        #expect(rank("1980", "1980-05-17") == 0.5)
        #expect(rank("1980-05-17", "1981-05-17") == 0)
        #expect(rank("1980-05-17", "1990-05-17") == -0.5)
        #expect(rank(nil, "1990-05-17") == 0)
        #expect(rank("1980-05", "1980-05") == 0.5)
    }

    @Test func removalAndReplacementFollowChanges() {
        var index = Self.crossScriptIndex()
        #expect(index.count == 11)
        index.remove(id: Self.id(2))
        #expect(index.count == 10)
        #expect(Self.top(index, ["Aleksandr Pushkin"]) == nil)
        index.upsert(id: Self.id(3), PersonDescription(names: ["Li Na"]))
        #expect(index.count == 10)
        #expect(Self.top(index, ["Zhang Wei"]) == nil)
        #expect(Self.top(index, ["李娜"]) == Self.id(3))
        // A freed number is reused without mixing up persons.
        index.upsert(id: Self.id(12), PersonDescription(names: ["Olga Ivanova"]))
        #expect(Self.top(index, ["Olga Ivanova"]) == Self.id(12))
        #expect(Self.top(index, ["Li Na"]) == Self.id(3))
        index.remove(id: Self.id(99))
        #expect(index.count == 11)
    }

    @Test func aCrowdNameStillReachesItsOtherScripts() {
        // Thousands of Latin namesakes make every name of the query a crowd, and the joined form
        // "alnajjar" reaches only them: the Arabic record must be reached all the same.
        var index = PersonIndex()
        for number in 0..<2_500 {
            index.upsert(
                id: Self.id(number),
                PersonDescription(names: ["Omar Al-Najjar"], dateOfBirth: PartialDate(year: 1940 + number % 30)))
        }
        index.upsert(
            id: Self.id(9_999), PersonDescription(names: ["عمر النجار"], dateOfBirth: PartialDate("1980-05-17")))
        let result = Self.search(index, ["Omar Al-Najjar"], born: "1980-05-17")
        #expect(
            result.candidates.first?.id == Self.id(9_999),
            "\(result.personsReached) \(result.candidates.map(\.match.summary))")
        #expect(result.candidates.first?.match.match == true)
    }

    @Test func holderListsStayInOrderWhenNumbersAreReused() {
        var index = PersonIndex()
        for number in 0..<6 { index.upsert(id: Self.id(number), PersonDescription(names: ["Olga Ivanova"])) }
        index.remove(id: Self.id(1))
        index.remove(id: Self.id(4))
        index.upsert(id: Self.id(10), PersonDescription(names: ["Olga Ivanova"]))
        index.upsert(id: Self.id(11), PersonDescription(names: ["Olga Ivanova"]))
        for holders in index.holders where !holders.isEmpty {
            #expect(holders == holders.sorted())
            #expect(holders.count == 6)
        }
        var shared: [UInt32] = []
        PersonIndex.forEachShared([1, 3, 5, 8, 13], [2, 3, 8, 9, 13, 21]) { shared.append($0) }
        #expect(shared == [3, 8, 13])
        #expect([1, 3, 5, 8, 13].firstPosition(notBelow: 6) == 3)
        #expect([1, 3, 5, 8, 13].firstPosition(notBelow: 20) == 5)
    }

    @Test func invisiblePersonsAreNeitherScoredNorReturned() {
        let index = Self.crossScriptIndex()
        let hidden = Self.id(1)
        let result = Self.search(index, ["Mohammed Ali"], isVisible: { $0 != hidden })
        #expect(!result.candidates.contains { $0.id == hidden })
        let all = Self.search(index, ["Mohammed Ali"])
        #expect(result.personsScored == all.personsScored - 1)
    }

    /// A synthetic population: given names from several cultures and scripts, family names
    /// built from syllables so that each is held by few persons, as in a real population.
    static func population(_ count: Int) -> [PersonDescription] {
        let given = [
            "John", "Maria", "Ahmed", "Fatima", "Wei", "Olga", "Ivan", "Giorgos", "Yusuf", "Anna", "Pierre",
            "Carlos", "Aisha", "Dmitri", "Elena", "Omar", "Hassan", "Li", "Sofia", "David", "Moshe", "Sarah",
            "Juan", "Mehmet", "Ali", "Nikos", "Petra", "Lars", "Ingrid", "Kwame", "Amina", "Raj", "Priya",
            "Tomasz", "Katarzyna", "Hans", "Jana", "Pavel", "Natalia", "Sergei",
        ]
        let onsets = ["ka", "mo", "ri", "ta", "no", "se", "lu", "ba", "de", "vi", "za", "po", "ha", "ge", "fi", "ju"]
        let middles = ["ran", "lin", "sov", "mer", "dal", "kin", "tor", "bek", "zan", "hol"]
        let endings = ["ov", "ez", "son", "i", "escu", "ski", "ian", "oglu", "er", "idis"]
        var generator = SplitMix64(state: 2024)
        return (0..<count).map { _ in
            let first = given[Int(generator.next() % UInt64(given.count))]
            let family =
                onsets[Int(generator.next() % UInt64(onsets.count))]
                + middles[Int(generator.next() % UInt64(middles.count))]
                + endings[Int(generator.next() % UInt64(endings.count))]
            let year = 1940 + Int(generator.next() % 60)
            return PersonDescription(names: ["\(first) \(family.uppercased())"], dateOfBirth: PartialDate(year: year))
        }
    }

    @Test func searchReachesAFractionOfTheIndex() {
        let population = Self.population(100_000)
        var index = PersonIndex()
        for (number, person) in population.enumerated() { index.upsert(id: Self.id(number), person) }
        #expect(index.count == 100_000)
        var scratch = PersonIndex.Scratch()
        for number in stride(from: 0, to: 100_000, by: 9_973) {
            let person = population[number]
            let result = index.search(PreparedPerson(person), matcher: Self.matcher, scratch: &scratch)
            #expect(result.personsReached < 100_000 / 10, "\(person.names): \(result.personsReached)")
            #expect(result.personsScored <= 64)
            // Synthetic names repeat: the person is among the best, with the same top score.
            let best = result.candidates.first?.match.score ?? 0
            #expect(result.candidates.contains { $0.id == Self.id(number) && $0.match.score == best })
        }
    }
}
