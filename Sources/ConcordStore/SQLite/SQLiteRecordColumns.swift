import ConcordCore
import Foundation
import GRDB

/// How the SQLite `records` table holds a record, column by column.
///
/// A travel document is mostly its key columns, and a store of 100 million of them is mostly
/// those columns repeated in four indexes, so the two that appear most are held small:
/// - **Kinds** are small integers, fixed forever (`code`): a kind's name would be repeated in
///   the row and in four indexes.
/// - **Record ids** that are UUIDs as Concord writes them (`RecordID.uuidBits`) are held as
///   their 16 bytes, in the row and in two indexes; any other id is held as text. SQLite
///   compares a blob and a text as different values, so each id has exactly one form.
/// - Times are Unix milliseconds; restrictions are NULL for none.
enum SQLiteRecordColumns {
    static let names = """
        id, kind, owner, status, lookup_key, purpose, confidentiality, restrictions, created_at, updated_at,
        review_date, body, version
        """
    static let marks = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"

    static func arguments(_ record: StoredRecord, restrictions: String?) -> StatementArguments {
        let envelope = record.envelope
        return [
            value(of: envelope.id), code(envelope.kind), envelope.owner.rawValue, envelope.status.rawValue,
            record.lookupKey, envelope.purpose.rawValue, envelope.confidentiality.rawValue, restrictions,
            envelope.createdAt.millisecondsSince1970, envelope.updatedAt.millisecondsSince1970,
            envelope.reviewDate.millisecondsSince1970, String(decoding: record.body, as: UTF8.self),
            record.version,
        ]
    }

    /// The record of a row that selected `names` (in any order, with any other columns).
    static func record(_ row: Row) throws -> StoredRecord {
        let id = try recordID(row["id"])
        func value<Value>(_ column: String, _ make: (String) -> Value?) throws -> Value {
            let text: String = row[column]
            guard let value = make(text) else { throw StoreError.corrupt("record \(id) has \(column) '\(text)'") }
            return value
        }
        guard let kind = kind(code: row["kind"]) else {
            throw StoreError.corrupt("record \(id) has kind code \(row["kind"] as DatabaseValue)")
        }
        let restrictions: String? = row["restrictions"]
        let envelope = Envelope(
            id: id, kind: kind, owner: try value("owner", MemberCode.init),
            purpose: try value("purpose", Purpose.init(rawValue:)),
            restrictions: try restrictions.map { try RecordCoding.decode(Restrictions.self, $0, "restrictions") }
                ?? .none,
            confidentiality: try value("confidentiality", Confidentiality.init(rawValue:)),
            createdAt: Date(millisecondsSince1970: row["created_at"]),
            updatedAt: Date(millisecondsSince1970: row["updated_at"]),
            reviewDate: Date(millisecondsSince1970: row["review_date"]),
            status: try value("status", RecordStatus.init(rawValue:)))
        return StoredRecord(
            envelope: envelope, lookupKey: row["lookup_key"], body: Data((row["body"] as String).utf8),
            version: row["version"])
    }

    // MARK: Kinds

    /// Stored in every database: a code is never reused or changed.
    static func code(_ kind: RecordKind) -> Int {
        switch kind {
        case .travelDocument: 1
        case .notice: 2
        case .diffusion: 3
        case .nominalPerson: 4
        case .imageSignature: 5
        case .icseAuthorisation: 6
        }
    }

    static func kind(code: Int?) -> RecordKind? {
        RecordKind.allCases.first { self.code($0) == code }
    }

    /// A SQL expression giving the code of the kind named by the text expression `name`, for the
    /// migration from named kinds; NULL for a name that is not a kind.
    static func codeExpression(ofName name: String) -> String {
        "CASE \(name) "
            + RecordKind.allCases.map { "WHEN '\($0.rawValue)' THEN \(code($0)) " }.joined()
            + "END"
    }

    // MARK: Ids

    /// The id as the table holds it: a UUID's 16 bytes, big-endian, or the text of any other id.
    static func value(of id: RecordID) -> any DatabaseValueConvertible {
        guard let (high, low) = id.uuidBits else { return id.rawValue }
        return withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { Data($0) }
    }

    static func recordID(_ value: DatabaseValue) throws -> RecordID {
        switch value.storage {
        case .blob(let bytes):
            if let bits = bytes.withUnsafeBytes(uuidBits(ofBlob:)) { return RecordID(uuidBits: bits) }
        case .string(let text): return RecordID(rawValue: text)
        default: break
        }
        throw StoreError.corrupt("a record has the id \(value)")
    }

    /// A UUID id's bits from its 16 bytes; nil for a blob of any other length.
    static func uuidBits(ofBlob bytes: UnsafeRawBufferPointer) -> (high: UInt64, low: UInt64)? {
        guard bytes.count == 16 else { return nil }
        return (
            UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        )
    }
}
