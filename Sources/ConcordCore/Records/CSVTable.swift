/// RFC 4180 CSV, read and written whole: quoted fields may hold commas, doubled quotes and
/// line breaks. Files from the command line are small enough to read at once; the bulk
/// document import, which streams gigabytes line by line, keeps its own line-based reader.
public enum CSVTable {
    /// A record of the file and the line it starts on (1 for the first line).
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    public struct Malformed: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Every record of `text`. A final line break ends the last record rather than starting an
    /// empty one; blank lines are skipped. Fields outside quotes are kept exactly as written.
    public static func rows(_ text: String) throws(Malformed) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var start = 1
        var quoted = false
        var wasQuoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return iterator.next()
        }
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { rows.append(Row(line: start, fields: fields)) }
            fields = []
            field = ""
            wasQuoted = false
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            quoted = false
                            pending = following
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty && !wasQuoted else {
                    throw Malformed(line: line, reason: "a quote inside an unquoted field (quote the whole field)")
                }
                quoted = true
                wasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                wasQuoted = false
            case "\r":
                continue
            case "\n":
                endRecord()
                line += 1
                start = line
            default:
                if wasQuoted {
                    throw Malformed(line: line, reason: "a quoted field must end at a comma or the line's end")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw Malformed(line: start, reason: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return rows
    }

    /// A field as CSV writes it: quoted when it holds a comma, a quote, a line break or
    /// surrounding blanks, with quotes doubled.
    public static func field(_ text: String) -> String {
        let needsQuotes =
            text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }

    /// A record as one CSV line, without the line break.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }
}
