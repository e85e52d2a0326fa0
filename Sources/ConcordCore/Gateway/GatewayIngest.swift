import Foundation

/// Turns the objects of a TAXII envelope into versions a collection can hold: each validated
/// as STIX 2.1, with the facts the policy and TAXII's filters need read out of it.
public enum GatewayIngest {
    /// Concord's own properties, which senders use to name recipients of TLP:RED and
    /// TLP:AMBER+STRICT data (organisations or individual keys), and to protect a police source.
    public static let recipientsProperty = "x_concord_recipients"
    public static let protectSourceProperty = "x_concord_protect_source"

    /// One object of an envelope, or every reason it is refused.
    public static func object(
        _ value: JSONValue, json: [UInt8], collection: String, addedBy: GatewayParticipant, key: String,
        at now: Date
    ) -> Result<GatewayObject, ValidationFailure> {
        let validation = STIXValidator.validate(value)
        var issues = validation.issues
        guard let object = value.object else { return .failure(ValidationFailure(issues)) }
        var recipients: [String] = []
        if let named = object[recipientsProperty] {
            let entries = named.array?.compactMap(\.string) ?? []
            if named.array?.count != entries.count || entries.isEmpty
                || !entries.allSatisfy({ GatewayParticipant(rawValue: $0) != nil || $0.hasPrefix("key_") })
            {
                issues.append(
                    FieldIssue(recipientsProperty, "must list member codes, GS, agreement ids (agr_…) or keys (key_…)"))
            }
            recipients = entries
        }
        let protectsSource = object[protectSourceProperty] == .bool(true)
        if let protect = object[protectSourceProperty], protect != .bool(true), protect != .bool(false) {
            issues.append(FieldIssue(protectSourceProperty, "must be true or false"))
        }
        guard issues.isEmpty, let id = object["id"]?.string, let type = object["type"]?.string else {
            return .failure(ValidationFailure(issues))
        }
        // Unversioned objects (cyber observables) are versioned by the time they arrive.
        let version =
            (object["modified"]?.string ?? object["created"]?.string).flatMap(STIXTimestamp.init)
            ?? STIXTimestamp(now)
        let markings = object["object_marking_refs"]?.array?.compactMap(\.string) ?? []
        return .success(
            GatewayObject(
                collection: collection, id: id, type: type, specVersion: object["spec_version"]?.string ?? "2.1",
                version: version, tlp: TLPMarking.level(of: markings), createdByRef: object["created_by_ref"]?.string,
                addedBy: addedBy, addedByKey: key, recipients: recipients, protectsSource: protectsSource,
                observables: observables(in: object, pattern: validation.pattern), json: json))
    }

    /// The observable values an object names: those of a cyber-observable object, the hashes of
    /// a file, and the plain equality tests of an indicator's STIX pattern, parsed.
    public static func observables(in object: [String: JSONValue], pattern: STIXPattern?) -> [Observable] {
        var found: [Observable] = []
        let type = object["type"]?.string ?? ""
        if let kind = ObservableKind(stixType: type), let value = object["value"]?.string,
            let observable = Observable(value, as: kind)
        {
            found.append(observable)
        }
        for (algorithm, value) in object["hashes"]?.object ?? [:] {
            if let kind = ObservableKind(hashAlgorithm: algorithm), let text = value.string,
                let observable = Observable(text, as: kind)
            {
                found.append(observable)
            }
        }
        if let pattern { found += pattern.comparisons.compactMap { Observable($0) } }
        var seen: Set<Observable> = []
        return found.filter { seen.insert($0).inserted }
    }
}

extension STIXTimestamp {
    /// A time at microsecond precision, as TAXII writes `date_added`.
    public init(_ date: Date) {
        let microseconds = date.microsecondsSince1970
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let fraction = microseconds - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil date from days since 1970 (proleptic Gregorian), the inverse of `init?(_:)`.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func padded(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let text =
            "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T\(padded(secondOfDay / 3600, 2)):"
            + "\(padded(secondOfDay % 3600 / 60, 2)):\(padded(secondOfDay % 60, 2)).\(padded(fraction, 6))Z"
        self.init(text)!
    }
}
