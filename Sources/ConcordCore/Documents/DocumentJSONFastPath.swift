import Foundation

/// Foundation's JSON coders spend most of a bulk import's time on a shape that never varies:
/// a flat object of a few short strings. These read and write exactly that shape by hand and
/// hand anything else (escapes, `null`, restrictions, unknown or repeated keys, invalid values)
/// back to the coders, so every answer and every error stays theirs.
public enum DocumentJSONFastPath {
    /// The document of a line shaped `{"issuer":"FRA","type":"passport",...}` with plain string
    /// values only; nil when the line needs the full decoder.
    static func decode(_ line: ArraySlice<UInt8>) -> NewTravelDocument? {
        var scanner = PlainJSONScanner(line)
        var fields: [String?] = Array(repeating: nil, count: Field.allCases.count)
        guard
            scanner.object({ name, scanner in
                guard let field = Field(name), fields[field.rawValue] == nil, let value = scanner.string() else {
                    return false
                }
                fields[field.rawValue] = value
                return true
            }), scanner.atEnd
        else { return nil }
        guard let issuerText = fields[Field.issuer.rawValue], let issuer = IssuerCode(issuerText),
            let typeText = fields[Field.type.rawValue], let type = DocumentType(rawValue: typeText),
            let number = fields[Field.number.rawValue],
            let statusText = fields[Field.status.rawValue], let status = DocumentStatus(rawValue: statusText)
        else { return nil }
        func date(_ field: Field) -> CalendarDate?? {
            guard let text = fields[field.rawValue] else { return .some(nil) }
            return CalendarDate(text).map { .some($0) }
        }
        guard let issued = date(.dateOfIssue), let expiry = date(.dateOfExpiry), let lost = date(.dateOfTheftOrLoss)
        else { return nil }
        return NewTravelDocument(
            issuer: issuer, type: type, number: number, status: status, dateOfIssue: issued, dateOfExpiry: expiry,
            dateOfTheftOrLoss: lost, nationalReference: fields[Field.nationalReference.rawValue])
    }

    /// A check shaped `{"documents":[{"issuer":..,"type":..,"number":..}],"terminal":..}` with
    /// plain string values and ASCII labels, as border systems send it; nil when the body needs
    /// the full decoder, which also gives every error.
    public static func decodeCheck(_ body: [UInt8]) -> DocumentCheckRequest? {
        var scanner = PlainJSONScanner(body[...])
        var documents: [DocumentQuery]?
        var labels: [String?] = [nil, nil]
        guard
            scanner.object({ name, scanner in
                if name.elementsEqual("documents".utf8) {
                    guard documents == nil, let list = checkQueries(&scanner) else { return false }
                    documents = list
                    return true
                }
                let slot = name.elementsEqual("terminal".utf8) ? 0 : name.elementsEqual("location".utf8) ? 1 : -1
                guard slot >= 0, labels[slot] == nil, let label = scanner.string(),
                    (1...DocumentCheckRequest.maximumLabelLength).contains(label.utf8.count),
                    label.utf8.allSatisfy({ $0 < 0x80 })
                else { return false }
                labels[slot] = label
                return true
            }), scanner.atEnd, let documents, (1...DocumentCheckRequest.maximumBatch).contains(documents.count)
        else { return nil }
        return DocumentCheckRequest(documents: documents, terminal: labels[0], location: labels[1])
    }

    private static func checkQueries(_ scanner: inout PlainJSONScanner) -> [DocumentQuery]? {
        var queries: [DocumentQuery] = []
        let complete = scanner.array { scanner in
            var fields: [String?] = [nil, nil, nil]
            guard
                scanner.object({ name, scanner in
                    let slot: Int
                    switch name.count {
                    case 4 where name.elementsEqual("type".utf8): slot = 1
                    case 6 where name.elementsEqual("issuer".utf8): slot = 0
                    case 6 where name.elementsEqual("number".utf8): slot = 2
                    default: return false
                    }
                    guard fields[slot] == nil, let value = scanner.string() else { return false }
                    fields[slot] = value
                    return true
                }),
                let issuerText = fields[0], let issuer = IssuerCode(issuerText),
                let typeText = fields[1], let type = DocumentType(rawValue: typeText), let number = fields[2]
            else { return false }
            queries.append(.fields(issuer: issuer, type: type, number: number))
            return queries.count <= DocumentCheckRequest.maximumBatch
        }
        return complete ? queries : nil
    }

    /// What `ConcordJSON.encoder()` writes for a check answer in which nothing was found,
    /// which is almost every answer at a border.
    static func allMisses(count: Int) -> [UInt8] {
        let miss = Array(#"{"hit":false}"#.utf8)
        var bytes = Array(#"{"results":["#.utf8)
        bytes.reserveCapacity(bytes.count + count * (miss.count + 1) + 2)
        for position in 0..<count {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += miss
        }
        bytes += Array("]}".utf8)
        return bytes
    }

    /// The string fields of `NewTravelDocument`; `restrictions` is left to the decoder.
    enum Field: Int, CaseIterable {
        case issuer, type, number, status, dateOfIssue, dateOfExpiry, dateOfTheftOrLoss, nationalReference

        init?(_ bytes: ArraySlice<UInt8>) {
            switch bytes.count {
            case 4 where bytes.elementsEqual("type".utf8): self = .type
            case 6 where bytes.elementsEqual("issuer".utf8): self = .issuer
            case 6 where bytes.elementsEqual("number".utf8): self = .number
            case 6 where bytes.elementsEqual("status".utf8): self = .status
            case 11 where bytes.elementsEqual("dateOfIssue".utf8): self = .dateOfIssue
            case 12 where bytes.elementsEqual("dateOfExpiry".utf8): self = .dateOfExpiry
            case 17 where bytes.elementsEqual("dateOfTheftOrLoss".utf8): self = .dateOfTheftOrLoss
            case 17 where bytes.elementsEqual("nationalReference".utf8): self = .nationalReference
            default: return nil
            }
        }
    }

    /// The body `ConcordJSON.encoder()` writes for a document (keys sorted, slashes as they
    /// are), or nil when a value would need escaping.
    static func encode(_ document: TravelDocument) -> Data? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        var first = true
        func member(_ key: StaticString, _ value: String?) -> Bool {
            guard let value else { return true }
            for byte in value.utf8 where byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                return false
            }
            bytes.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            bytes.append(UInt8(ascii: "\""))
            key.withUTF8Buffer { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: "\":\"".utf8)
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        guard member("dateOfExpiry", document.dateOfExpiry?.description),
            member("dateOfIssue", document.dateOfIssue?.description),
            member("dateOfTheftOrLoss", document.dateOfTheftOrLoss?.description),
            member("issuer", document.issuer.rawValue),
            member("nationalReference", document.nationalReference),
            member("number", document.number),
            member("status", document.status.rawValue),
            member("type", document.type.rawValue)
        else { return nil }
        bytes.append(UInt8(ascii: "}"))
        return Data(bytes)
    }
}

/// Reads the plain subset of JSON the fast paths accept: objects, arrays and strings without
/// escapes or control characters. Every method returns nil or false at the first thing outside
/// that subset, and the caller then hands the whole input to the full decoder.
struct PlainJSONScanner {
    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
        skipBlanks()
    }

    var atEnd: Bool { index == bytes.endIndex }

    private mutating func skipBlanks() {
        while index < bytes.endIndex,
            bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D || bytes[index] == 0x0A
        {
            index += 1
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.endIndex, bytes[index] == byte else { return false }
        index += 1
        skipBlanks()
        return true
    }

    /// A quoted string without escapes or control characters, as raw bytes.
    mutating func plainString() -> ArraySlice<UInt8>? {
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var end = start
        while end < bytes.endIndex {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            end += 1
        }
        guard end < bytes.endIndex else { return nil }
        index = end + 1
        skipBlanks()
        return bytes[start..<end]
    }

    mutating func string() -> String? {
        plainString().flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// An object whose members `member` reads, given each name with the scanner at its value.
    mutating func object(_ member: (ArraySlice<UInt8>, inout PlainJSONScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let name = plainString(), consume(UInt8(ascii: ":")), member(name, &self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    /// An array whose elements `element` reads.
    mutating func array(_ element: (inout PlainJSONScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }
}
