// Measures person screening at a given size, in one process:
//
//     swift run -c release PersonMeasure [PERSONS] [QUERIES]
//
// PERSONS defaults to 1,000,000 and QUERIES to 10,000. Builds a synthetic population written
// in Latin, Cyrillic, Arabic, Greek and Han script, then screens persons of that population
// by another spelling of their name (the Latin form of a native-script name and the other way
// round, with a typing error in one query out of five), one thread. Prints build time,
// resident memory per person (from /proc), search latency percentiles, and how often the
// person sought came first. A measurement tool, not a test: nothing here asserts.

import ConcordCore
import ConcordMatching
import Foundation
import MeasureSupport

#if canImport(Glibc)
import Glibc
#endif

let personCount = commandLineNumber(1, 1_000_000)
let queryCount = commandLineNumber(2, 10_000)

/// A name part in its own script and in Latin letters.
typealias Part = (native: String, latin: String)

func parts(_ native: String, _ latin: String) -> [Part] {
    Array(zip(native.split(separator: " ").map(String.init), latin.split(separator: " ").map(String.init)))
}

let cyrillicGiven = parts(
    "Александр Сергей Дмитрий Андрей Алексей Иван Михаил Николай Ольга Наталья Елена Татьяна Юрий Евгений Павел Анна",
    "Alexander Sergei Dmitry Andrei Alexei Ivan Mikhail Nikolai Olga Natalya Elena Tatyana Yuri Yevgeny Pavel Anna")
let cyrillicSyllables = parts(
    "ка ло ми ре су ва то ни бо ша жу хо це чи ды пе", "ka lo mi re su va to ni bo sha zhu kho tse chi dy pe")
let cyrillicEndings = parts("ов ин ев ский енко ович", "ov in ev sky enko ovich")
let arabicGiven = parts(
    "محمد أحمد علي عمر يوسف حسن خالد إبراهيم فاطمة عائشة مريم سعيد طارق ناصر كريم سليمان",
    "Mohammed Ahmed Ali Omar Yusuf Hassan Khaled Ibrahim Fatima Aisha Maryam Said Tariq Nasser Karim Suleiman")
let arabicFamily = parts(
    "الحسن الرشيد المصري الخطيب النجار الحداد العلي الزهراني القاسم الشامي البغدادي العمري التميمي الهاشمي الكبير الصالح",
    "Al-Hassan Al-Rashid Al-Masri Al-Khatib Al-Najjar Al-Haddad Al-Ali Al-Zahrani Al-Qasim Al-Shami Al-Baghdadi Al-Omari Al-Tamimi Al-Hashimi Al-Kabir Al-Saleh"
)
let greekGiven = parts("Γιώργος Νίκος Δημήτρης Μαρία Ελένη Κώστας", "Giorgos Nikos Dimitris Maria Eleni Kostas")
let greekSyllables = parts("πα πα δο κω στα νι λα ρα μα", "pa pa do ko sta ni la ra ma")
let greekEndings = parts("πουλος ίδης άκης άτος", "poulos idis akis atos")
let hanSurnames = parts(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗",
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo")
let hanGiven = parts(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 玉 兰 文 辉 建 国",
    "wei fang na min jing li qiang lei jun yang yong yan jie juan tao ming chao xiu xia ping gang gui ying hua yu lan wen hui jian guo"
)
let latinGiven = [
    "John", "Maria", "Pierre", "Carlos", "Sofia", "David", "Anna", "Juan", "Mehmet", "Lars", "Ingrid", "Kwame",
    "Tomasz", "Katarzyna", "Hans", "Jana", "Priya", "Raj", "Emma", "Luca", "Chiara", "Jose", "Ana", "Miguel",
]
let latinSyllables = [
    "ber", "man", "ko", "ri", "san", "tel", "lo", "ven", "mar", "dor", "gu", "ha", "li", "ne", "pa", "zo",
]
let latinEndings = ["", "son", "ez", "i", "er", "ski", "escu", "oglu", "ian", "sen", "ero", "ovic"]

/// A person as recorded, and the same name written as a query would bring it.
func person(_ generator: inout Generator) -> (recorded: String, queried: String) {
    func word(_ syllables: [Part], _ endings: [Part], _ generator: inout Generator) -> Part {
        let count = 2 + Int(generator.next() % 2)
        var native = ""
        var latin = ""
        for _ in 0..<count {
            let syllable = generator.pick(syllables)
            native += syllable.native
            latin += syllable.latin
        }
        let ending = generator.pick(endings)
        return (native + ending.native, latin + ending.latin)
    }
    var (given, family): (Part, Part)
    switch generator.next() % 5 {
    case 0:
        (given, family) = (generator.pick(cyrillicGiven), word(cyrillicSyllables, cyrillicEndings, &generator))
    case 1:
        given = generator.pick(arabicGiven)
        let father = generator.pick(arabicGiven)
        let tribe = generator.pick(arabicFamily)
        family = (father.native + " " + tribe.native, father.latin + " " + tribe.latin)
    case 2:
        (given, family) = (generator.pick(greekGiven), word(greekSyllables, greekEndings, &generator))
    case 3:
        let surname = generator.pick(hanSurnames)
        let first = generator.pick(hanGiven)
        let second = generator.pick(hanGiven)
        return generator.next() % 2 == 0
            ? (surname.native + first.native + second.native, surname.latin + " " + first.latin + second.latin)
            : (surname.latin + " " + first.latin + second.latin, surname.native + first.native + second.native)
    default:
        let latinFamily = (0..<2).map { _ in generator.pick(latinSyllables) }.joined() + generator.pick(latinEndings)
        given = (generator.pick(latinGiven), "")
        family = (latinFamily, latinFamily)
        return (given.native + " " + family.native, family.latin.uppercased() + " " + given.native)
    }
    // Recorded in their own script half the time, and queried in the other form.
    let native = given.native + " " + family.native
    let latin = given.latin + " " + family.latin
    return generator.next() % 2 == 0 ? (native, latin) : (latin, native)
}

/// A typing error: two adjacent letters of the last word swapped.
func mistyped(_ name: String) -> String {
    var characters = Array(name)
    guard characters.count > 4 else { return name }
    let at = characters.count - 3
    characters.swapAt(at, at + 1)
    return String(characters)
}

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func threadSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

say("persons: \(personCount), queries: \(queryCount)")
var generator = Generator(state: 0x5eed)
var queries: [(number: Int, query: PersonDescription)] = []
let queryEvery = max(1, personCount / queryCount)
let baseline = residentBytes()
var index = PersonIndex()
let buildStart = threadSeconds()
for number in 0..<personCount {
    let (recorded, queried) = person(&generator)
    let year = 1940 + Int(generator.next() % 65)
    let born = PartialDate(year: year, month: 1 + Int(generator.next() % 12), day: 1 + Int(generator.next() % 28))
    index.upsert(id: RecordID(rawValue: "p\(number)"), PersonDescription(names: [recorded], dateOfBirth: born))
    if number % queryEvery == 0 && queries.count < queryCount {
        let name = queries.count % 5 == 0 ? mistyped(queried) : queried
        // Half the queries know only the year of birth.
        let date = queries.count % 2 == 0 ? born : PartialDate(year: year)
        queries.append((number, PersonDescription(names: [name], dateOfBirth: date)))
    }
    if number > 0 && number % 250_000 == 0 { say("  built \(number)") }
}
let buildSeconds = threadSeconds() - buildStart
let resident = residentBytes() - baseline
say("build: \(format(buildSeconds, 1)) s CPU, \(format(Double(personCount) / buildSeconds / 1e3, 1)) k persons/s")
say(
    "memory: \(format(Double(resident) / Double(personCount), 0)) bytes/person resident (\(format(Double(resident) / 1e9)) GB)"
)

let matcher = PersonMatcher()!
var scratch = PersonIndex.Scratch()
var latencies: [Double] = []
var first = 0
var tiedFirst = 0
var found = 0
var reached = 0
for (number, description) in queries {
    let start = threadSeconds()
    let query = PreparedPerson(description)
    let result = index.search(query, matcher: matcher, scratch: &scratch)
    latencies.append(threadSeconds() - start)
    reached += result.personsReached
    let id = RecordID(rawValue: "p\(number)")
    if result.candidates.first?.id == id { first += 1 }
    // Synthetic names repeat: another person may have the same name and date of birth.
    let best = result.candidates.first?.match.score
    if result.candidates.contains(where: { $0.id == id && $0.match.score == best }) { tiedFirst += 1 }
    if result.candidates.contains(where: { $0.id == id && $0.match.match }) { found += 1 }
}
latencies.sort()
let sortedLatencies = latencies
func percentile(_ p: Double) -> String {
    let position = min(sortedLatencies.count - 1, Int(Double(sortedLatencies.count) * p))
    return format(sortedLatencies[position] * 1000, 3) + " ms"
}
say(
    "search, one thread, CPU time per query (normalising the query included): p50 \(percentile(0.5)),"
        + " p90 \(percentile(0.9)), p99 \(percentile(0.99)), max \(percentile(1))")
say("persons reached per query: \(reached / max(1, queries.count)) on average")
say(
    "sought person first: \(format(100 * Double(first) / Double(queries.count), 1))%, with the best score"
        + " (tied with namesakes): \(format(100 * Double(tiedFirst) / Double(queries.count), 1))%,"
        + " among matches: \(format(100 * Double(found) / Double(queries.count), 1))%")
