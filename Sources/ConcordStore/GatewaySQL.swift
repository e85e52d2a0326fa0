import ConcordCore
import Foundation

/// The SQL both backends share for Gateway objects; only placeholders differ.
enum GatewaySQL {
    enum Bind: Sendable {
        case text(String)
        case integer(Int64)
    }

    static let columns = """
        o.collection, o.object_id, o.type, o.spec_version, o.version, o.date_added, o.tlp, o.created_by_ref,
        o.added_by, o.added_by_key, o.recipients, o.protects_source, o.body
        """

    /// The query for one page, with one row more than the limit to tell whether more follow.
    /// `placeholder(n)` writes the n-th (1-based) parameter.
    static func select(_ query: GatewayQuery, placeholder: (Int) -> String) -> (sql: String, binds: [Bind]) {
        var binds: [Bind] = []
        func bind(_ value: Bind) -> String {
            binds.append(value)
            return placeholder(binds.count)
        }
        var sql = "SELECT \(columns) FROM gateway_objects o WHERE o.collection = \(bind(.text(query.collection)))"
        let after = max(query.addedAfter?.microsecondsSince1970 ?? Int64.min, query.cursor ?? Int64.min)
        if after > Int64.min { sql += " AND date_added > \(bind(.integer(after)))" }
        func oneOf(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            sql += " AND \(column) IN (" + values.map { bind(.text($0)) }.joined(separator: ", ") + ")"
        }
        oneOf("object_id", query.ids)
        oneOf("type", query.types)
        oneOf("spec_version", query.specVersions)
        let versions = query.versions
        if !versions.all {
            var any: [String] = []
            for (wanted, newer) in [(versions.last, ">"), (versions.first, "<")] where wanted {
                any.append(
                    """
                    NOT EXISTS (SELECT 1 FROM gateway_objects n WHERE n.collection = o.collection
                        AND n.object_id = o.object_id AND n.version_ns \(newer) o.version_ns)
                    """)
            }
            if !versions.exactly.isEmpty {
                any.append(
                    "version_ns IN ("
                        + versions.exactly.map { bind(.integer($0.nanosecondsSince1970)) }.joined(separator: ", ") + ")"
                )
            }
            sql += " AND (" + (any.isEmpty ? "FALSE" : any.joined(separator: " OR ")) + ")"
        }
        sql += " ORDER BY date_added LIMIT \(bind(.integer(Int64(query.limit) + 1)))"
        return (sql, binds)
    }

    /// Builds a page from rows read in order, one more than the limit when more follow.
    static func page(_ objects: [GatewayObject], limit: Int) -> GatewayPage {
        guard objects.count > limit else { return GatewayPage(objects: objects, next: nil) }
        let shown = Array(objects.prefix(limit))
        return GatewayPage(objects: shown, next: shown.last?.dateAdded?.microsecondsSince1970)
    }

    /// The versions that name one of `values` as an observable of `kind`, oldest first.
    static func selectObserved(
        kind: ObservableKind, values: [String], limit: Int, placeholder: (Int) -> String
    ) -> (sql: String, binds: [Bind]) {
        var binds: [Bind] = [.text(kind.rawValue)]
        binds += values.map { .text($0) }
        binds.append(.integer(Int64(limit)))
        let list = (0..<values.count).map { placeholder($0 + 2) }.joined(separator: ", ")
        // A version naming several of the values (an address and its network) is found once.
        let sql = """
            SELECT \(columns) FROM gateway_objects o
            WHERE (o.collection, o.object_id, o.version_ns) IN (
                SELECT collection, object_id, version_ns FROM gateway_observables
                WHERE kind = \(placeholder(1)) AND value IN (\(list)))
            ORDER BY o.date_added LIMIT \(placeholder(values.count + 2))
            """
        return (sql, binds)
    }

    static func object(
        collection: String, id: String, type: String, specVersion: String, version: String, dateAdded: Int64,
        tlp: String?, createdByRef: String?, addedBy: String, addedByKey: String, recipients: String,
        protectsSource: Bool, body: [UInt8]
    ) throws -> GatewayObject {
        guard let stamp = STIXTimestamp(version) else {
            throw StoreError.corrupt("gateway object \(id) version \(version)")
        }
        guard let sender = GatewayParticipant(rawValue: addedBy) else {
            throw StoreError.corrupt("gateway object \(id) added by '\(addedBy)'")
        }
        return GatewayObject(
            collection: collection, id: id, type: type, specVersion: specVersion, version: stamp,
            dateAdded: Date(microsecondsSince1970: dateAdded), tlp: tlp.flatMap(TLPLevel.init(rawValue:)),
            createdByRef: createdByRef, addedBy: sender, addedByKey: addedByKey,
            recipients: recipients.split(separator: " ").map(String.init), protectsSource: protectsSource, json: body)
    }

    /// The store's clock for `date_added`: strictly increasing microseconds, never behind the
    /// wall clock, so that two objects never share a time and paging by time misses none.
    static let clock = "gateway.date-added"

    static func nextTimes(after last: Int64, count: Int) -> [Int64] {
        var time = max(Date().microsecondsSince1970, last + 1)
        return (0..<count).map { _ in
            defer { time += 1 }
            return time
        }
    }
}
