import Foundation
import Testing

@testable import ConcordCore

@Suite("Timestamps")
struct TimestampTests {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Every millisecond of a few seconds, and one in about a thousand over a day.
    static let sample =
        Array(Int64(1_764_892_800_000)..<1_764_892_805_000)
        + Array(stride(from: Int64(1_764_892_805_000), to: 1_764_979_200_000, by: 997))

    @Test("a time reads back as written, and writes again the same")
    func readsBack() throws {
        var wrong: [Int64] = []
        for milliseconds in Self.sample {
            let date = Date(millisecondsSince1970: milliseconds)
            let text = ConcordJSON.timestamp(date)
            let parsed = try Self.style.parse(text)
            if date.millisecondsSince1970 != milliseconds || parsed.millisecondsSince1970 != milliseconds
                || ConcordJSON.timestamp(parsed) != text || date.truncatedToMilliseconds != date
            {
                wrong.append(milliseconds)
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }

    @Test(
        "dates are the calendar's, leap days and centuries included",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (951_782_400_001, "2000-02-29T00:00:00.001Z"),
            (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
            (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),
            (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        ])
    func calendar(milliseconds: Int64, text: String) {
        #expect(ConcordJSON.timestamp(Date(millisecondsSince1970: milliseconds)) == text)
    }

    @Test("any time is written as its millisecond, on Foundation's calendar")
    func anyTime() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let date = Date(timeIntervalSince1970: -2e9 + 6e9 * Double(state >> 11) / Double(1 << 53))
            let milliseconds = date.millisecondsSince1970
            // Cut down, unless a microsecond short of the next millisecond.
            let below = date.timeIntervalSince1970 - Double(milliseconds) / 1000
            #expect(below > -0.000_001 && below < 0.001, "\(date.timeIntervalSince1970)")
            let second = Date(timeIntervalSince1970: (Double(milliseconds) / 1000).rounded(.down))
            let text = ConcordJSON.timestamp(date)
            #expect(text.prefix(20) == second.formatted(Self.style).prefix(20), "\(date.timeIntervalSince1970)")
            let fraction = (milliseconds % 1000 + 1000) % 1000
            #expect(text.hasSuffix(String(format: ".%03dZ", fraction)), "\(text)")
        }
    }

    @Test("the JSON encoder writes times this way too")
    func encoder() throws {
        let date = Date(millisecondsSince1970: 1_764_892_800_001)
        let json = try ConcordJSON.encoder().encode(["at": date])
        #expect(String(decoding: json, as: UTF8.self) == #"{"at":"2025-12-05T00:00:00.001Z"}"#)
        #expect(try ConcordJSON.decoder().decode([String: Date].self, from: json)["at"] == date)
    }
}
