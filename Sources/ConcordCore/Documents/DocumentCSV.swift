import Foundation

/// The CSV shape of a travel document: the fields of `POST /v1/documents` as columns, with the
/// restrictions flattened into `visibility`, `members` and `notifyOwner`. The header names the
/// columns in any order; only `issuer`, `type`, `number` and `status` are required. An empty
/// cell is an absent field. Cells may be quoted as RFC 4180 says, but no cell spans lines.
struct CSVHeader {
    enum Column: String, CaseIterable {
        case issuer, type, number, status, dateOfIssue, dateOfExpiry, dateOfTheftOrLoss, nationalReference
        case visibility, members, notifyOwner
    }

    static let required: [Column] = [.issuer, .type, .number, .status]

    /// The column of each cell position.
    let columns: [Column]
    /// The cell position of each column present.
    let positions: [Column: Int]

    init(_ line: ArraySlice<UInt8>, number: Int) throws(ImportLineError) {
        let names: [String]
        do {
            names = try CSVHeader.cells(line)
        } catch {
            throw ImportLineError(line: number, "malformed-csv", "the header: \(error.detail)")
        }
        var columns: [Column] = []
        var positions: [Column: Int] = [:]
        for (position, name) in names.enumerated() {
            guard let column = Column.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                throw ImportLineError(
                    line: number, "unknown-field", field: "/\(name)",
                    "unknown column '\(name)'; the columns are "
                        + Column.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard positions[column] == nil else {
                throw ImportLineError(
                    line: number, "malformed-csv", field: "/\(column.rawValue)", "column '\(name)' is named twice")
            }
            positions[column] = position
            columns.append(column)
        }
        if let missing = CSVHeader.required.first(where: { positions[$0] == nil }) {
            throw ImportLineError(
                line: number, "invalid-field", field: "/\(missing.rawValue)",
                "the header has no column '\(missing.rawValue)'")
        }
        self.columns = columns
        self.positions = positions
    }

    struct CellError: Error {
        var slug = "invalid-field"
        var field: String?
        var detail: String
    }

    func request(from line: ArraySlice<UInt8>) throws(CellError) -> NewTravelDocument {
        let cells = try CSVHeader.cells(line)
        guard cells.count == columns.count else {
            throw CellError(
                slug: "malformed-csv", detail: "\(cells.count) cells where the header has \(columns.count) columns")
        }
        func cell(_ column: Column) -> String? {
            guard let position = positions[column], !cells[position].isEmpty else { return nil }
            return cells[position]
        }
        func required(_ column: Column) throws(CellError) -> String {
            guard let text = cell(column) else {
                throw CellError(field: "/\(column.rawValue)", detail: "missing field '\(column.rawValue)'")
            }
            return text
        }
        func date(_ column: Column) throws(CellError) -> CalendarDate? {
            guard let text = cell(column) else { return nil }
            guard let date = CalendarDate(text) else {
                throw CellError(field: "/\(column.rawValue)", detail: "'\(text)' is not a valid date (YYYY-MM-DD)")
            }
            return date
        }
        let issuerText = try required(.issuer)
        guard let issuer = IssuerCode(issuerText) else {
            throw CellError(field: "/issuer", detail: "unknown issuer code '\(issuerText)'")
        }
        let typeText = try required(.type)
        guard let type = DocumentType(rawValue: typeText) else {
            throw CellError(
                field: "/type",
                detail: "'\(typeText)' is not one of " + DocumentType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let number = try required(.number)
        let statusText = try required(.status)
        guard let status = DocumentStatus(rawValue: statusText) else {
            throw CellError(
                field: "/status",
                detail: "'\(statusText)' is not one of "
                    + DocumentStatus.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return NewTravelDocument(
            issuer: issuer, type: type, number: number, status: status, dateOfIssue: try date(.dateOfIssue),
            dateOfExpiry: try date(.dateOfExpiry), dateOfTheftOrLoss: try date(.dateOfTheftOrLoss),
            nationalReference: cell(.nationalReference),
            restrictions: try restrictions(cell(.visibility), cell(.members), cell(.notifyOwner)))
    }

    /// The same rules as the `restrictions` object of the JSON body.
    private func restrictions(
        _ visibility: String?, _ members: String?, _ notify: String?
    ) throws(CellError) -> Restrictions? {
        if visibility == nil && members == nil && notify == nil { return nil }
        var notifyOwner = false
        if let notify {
            switch notify.lowercased() {
            case "true": notifyOwner = true
            case "false": notifyOwner = false
            default: throw CellError(field: "/notifyOwner", detail: "expected true or false")
            }
        }
        var list: [MemberCode] = []
        for code in (members ?? "").split(whereSeparator: { $0 == ";" || $0 == " " }) {
            guard let member = MemberCode(String(code)) else {
                throw CellError(field: "/members", detail: "unknown member country '\(code)'")
            }
            list.append(member)
        }
        switch visibility ?? "all" {
        case "all":
            guard list.isEmpty else {
                throw CellError(
                    field: "/members", detail: "members are only allowed with visibility \"only\" or \"except\"")
            }
            return Restrictions(visibility: .allMembers, notifyOwner: notifyOwner)
        case let mode where mode == "only" || mode == "except":
            guard !list.isEmpty else {
                throw CellError(
                    field: "/members", detail: "visibility \"\(mode)\" needs a non-empty list of members")
            }
            let visibility: Restrictions.Visibility =
                mode == "only" ? .onlyListed(Set(list)) : .allExcept(Set(list))
            return Restrictions(visibility: visibility, notifyOwner: notifyOwner)
        case let other:
            throw CellError(field: "/visibility", detail: "'\(other)' is not one of all, only, except")
        }
    }

    /// Splits a line into cells: separated by commas, optionally quoted, `""` for a quote inside
    /// quotes. Unquoted cells lose surrounding blanks, which hand-made files are full of.
    static func cells(_ line: ArraySlice<UInt8>) throws(CellError) -> [String] {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
        var cells: [String] = []
        var index = line.startIndex
        while true {
            var bytes: [UInt8] = []
            if index < line.endIndex && line[index] == quote {
                index += 1
                while true {
                    guard index < line.endIndex else {
                        throw CellError(
                            slug: "malformed-csv",
                            detail: "a quoted cell is not closed on its line (cells cannot span lines)")
                    }
                    if line[index] == quote {
                        if index + 1 < line.endIndex && line[index + 1] == quote {
                            bytes.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    bytes.append(line[index])
                    index += 1
                }
                if index < line.endIndex && line[index] != comma {
                    throw CellError(
                        slug: "malformed-csv", detail: "a quoted cell must end at a comma or the line's end")
                }
            } else {
                let end = line[index...].firstIndex(of: comma) ?? line.endIndex
                var slice = line[index..<end]
                while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
                while let last = slice.last, last == 0x20 || last == 0x09 || last == 0x0D { slice = slice.dropLast() }
                bytes = Array(slice)
                index = end
            }
            guard let cell = String(validating: bytes, as: UTF8.self) else {
                throw CellError(slug: "malformed-csv", detail: "cell \(cells.count + 1) is not valid UTF-8")
            }
            cells.append(cell)
            guard index < line.endIndex else { return cells }
            index += 1  // the comma
        }
    }
}
