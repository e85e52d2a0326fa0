import Foundation

/// Foundation's JSON coders spend most of a bulk import's time on a shape that never varies:
/// a flat object of a few short strings. These read and write exactly that shape by hand and
/// hand anything else (escapes, `null`, restrictions, unknown or repeated keys, invalid values)
/// back to the coders, so every answer and every error stays theirs.
enum DocumentJSONFastPath {
    /// The document of a line shaped `{"issuer":"FRA","type":"passport",...}` with plain string
    /// values only; nil when the line needs the full decoder.
    static func decode(_ line: ArraySlice<UInt8>) -> NewTravelDocument? {
        var fields: [String?] = Array(repeating: nil, count: Field.allCases.count)
        var index = line.startIndex
        func skipBlanks() {
            while index < line.endIndex, line[index] == 0x20 || line[index] == 0x09 || line[index] == 0x0D {
                index += 1
            }
        }
        /// A quoted string without escapes or control characters.
        func plainString() -> ArraySlice<UInt8>? {
            guard index < line.endIndex, line[index] == UInt8(ascii: "\"") else { return nil }
            let start = index + 1
            var end = start
            while end < line.endIndex {
                let byte = line[end]
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                end += 1
            }
            guard end < line.endIndex else { return nil }
            index = end + 1
            return line[start..<end]
        }
        skipBlanks()
        guard index < line.endIndex, line[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            skipBlanks()
            guard let name = plainString(), let field = Field(name) else { return nil }
            skipBlanks()
            guard index < line.endIndex, line[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipBlanks()
            guard fields[field.rawValue] == nil, let bytes = plainString(),
                let value = String(validating: bytes, as: UTF8.self)
            else { return nil }
            fields[field.rawValue] = value
            skipBlanks()
            guard index < line.endIndex else { return nil }
            if line[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard line[index] == UInt8(ascii: "}") else { return nil }
            index += 1
            skipBlanks()
            guard index == line.endIndex else { return nil }
            break
        }
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
