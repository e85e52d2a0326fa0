/// STIX 2.1 validation on ingest: every reason an object is refused, so that a status resource
/// can name them all. Objects are checked as JSON trees: common properties for every object,
/// the required properties of each standard type, the indicator pattern grammar, and marking
/// references. Types the specification does not define get the common checks only.
public enum STIXValidator {
    public enum Category: Sendable, Hashable {
        /// Domain and relationship objects: versioned, with `created` and `modified`.
        case domain
        /// Cyber-observable objects: unversioned, `spec_version` optional.
        case observable
        /// Marking definitions: `created`, never modified.
        case marking
    }

    static let observableTypes: Set<String> = [
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file",
        "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
        "user-account", "windows-registry-key", "x509-certificate",
    ]

    /// The properties each standard domain or relationship object must have besides the common ones.
    static let requiredProperties: [String: [String]] = [
        "attack-pattern": ["name"], "campaign": ["name"], "course-of-action": ["name"],
        "grouping": ["context", "object_refs"],
        "identity": ["name"], "incident": ["name"], "indicator": ["pattern", "pattern_type", "valid_from"],
        "infrastructure": ["name"], "intrusion-set": ["name"], "malware": ["is_family"],
        "malware-analysis": ["product"], "note": ["content", "object_refs"],
        "observed-data": ["first_observed", "last_observed", "number_observed", "object_refs"],
        "opinion": ["opinion", "object_refs"], "report": ["name", "published", "object_refs"],
        "threat-actor": ["name"], "tool": ["name"], "vulnerability": ["name"],
        "relationship": ["relationship_type", "source_ref", "target_ref"], "sighting": ["sighting_of_ref"],
        "ipv4-addr": ["value"], "ipv6-addr": ["value"], "domain-name": ["value"], "url": ["value"],
        "email-addr": ["value"], "mac-addr": ["value"], "mutex": ["name"], "autonomous-system": ["number"],
        "directory": ["path"], "software": ["name"], "windows-registry-key": [],
    ]

    static let timestampProperties = [
        "created", "modified", "valid_from", "valid_until", "first_seen", "last_seen", "published",
        "first_observed", "last_observed",
    ]

    public static func category(of type: String) -> Category {
        if type == "marking-definition" { return .marking }
        return observableTypes.contains(type) ? .observable : .domain
    }

    /// Every problem with `value` as a STIX 2.1 object; empty when it is valid.
    public static func issues(in value: JSONValue) -> [FieldIssue] { validate(value).issues }

    /// Every problem with `value` as a STIX 2.1 object, and an indicator's STIX pattern as
    /// parsed, so that it is parsed once for validation and correlation.
    public static func validate(_ value: JSONValue) -> (issues: [FieldIssue], pattern: STIXPattern?) {
        guard let object = value.object else { return ([FieldIssue("", "a STIX object is a JSON object")], nil) }
        var issues: [FieldIssue] = []
        guard let type = object["type"]?.string, STIXIdentifier.isValidType(type) else {
            return ([FieldIssue("type", "required: 3–250 lower-case letters, digits and hyphens")], nil)
        }
        let category = category(of: type)

        if let version = object["spec_version"] {
            if version.string != "2.1" { issues.append(FieldIssue("spec_version", "must be \"2.1\"")) }
        } else if category != .observable {
            issues.append(FieldIssue("spec_version", "required: \"2.1\""))
        }

        if let id = object["id"]?.string {
            if STIXIdentifier.type(of: id) != type {
                issues.append(FieldIssue("id", "must be \(type)--<RFC 4122 UUID in lower case>"))
            }
        } else {
            issues.append(FieldIssue("id", "required"))
        }

        var times: [String: STIXTimestamp] = [:]
        for property in timestampProperties {
            guard let field = object[property] else { continue }
            if let text = field.string, let time = STIXTimestamp(text) {
                times[property] = time
            } else {
                issues.append(FieldIssue(property, "must be an RFC 3339 time in UTC, such as 2024-05-01T12:00:00.000Z"))
            }
        }
        let requiredTimes = category == .domain ? ["created", "modified"] : category == .marking ? ["created"] : []
        for property in requiredTimes where object[property] == nil {
            issues.append(FieldIssue(property, "required"))
        }
        if category == .marking, object["modified"] != nil {
            issues.append(FieldIssue("modified", "marking definitions are never modified"))
        }
        func ordered(_ earlier: String, _ later: String, _ reason: String) {
            if let first = times[earlier], let second = times[later], second < first {
                issues.append(FieldIssue(later, reason))
            }
        }
        ordered("created", "modified", "must not be before created")
        ordered("valid_from", "valid_until", "must be after valid_from")
        ordered("first_seen", "last_seen", "must not be before first_seen")
        ordered("first_observed", "last_observed", "must not be before first_observed")

        if let reference = object["created_by_ref"] {
            if STIXIdentifier.type(of: reference.string ?? "") != "identity" {
                issues.append(FieldIssue("created_by_ref", "must be an identity id"))
            }
        }
        issues += markingIssues(object)

        for property in requiredProperties[type] ?? [] where object[property] == nil {
            issues.append(FieldIssue(property, "required for \(type)"))
        }
        issues += typeIssues(type, object)
        if category == .marking, let problem = TLPMarking.inconsistency(in: object) {
            issues.append(FieldIssue("definition", problem))
        }
        var pattern: STIXPattern?
        if type == "indicator", object["pattern_type"]?.string == "stix", let text = object["pattern"]?.string {
            do throws(STIXPattern.SyntaxError) {
                pattern = try STIXPattern(text)
            } catch {
                issues.append(FieldIssue("pattern", error.description))
            }
        }
        return (issues, pattern)
    }

    static func markingIssues(_ object: [String: JSONValue]) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if let references = object["object_marking_refs"] {
            let values = references.array ?? []
            if references.array == nil || values.isEmpty {
                issues.append(FieldIssue("object_marking_refs", "must be a non-empty list of marking definition ids"))
            }
            for (index, reference) in values.enumerated()
            where STIXIdentifier.type(of: reference.string ?? "") != "marking-definition" {
                issues.append(FieldIssue("object_marking_refs[\(index)]", "must be a marking definition id"))
            }
        }
        if let granular = object["granular_markings"] {
            for (index, marking) in (granular.array ?? [.null]).enumerated() {
                let reference = marking["marking_ref"]?.string
                if reference == nil, marking["lang"]?.string == nil {
                    issues.append(FieldIssue("granular_markings[\(index)]", "needs marking_ref or lang"))
                } else if let reference, STIXIdentifier.type(of: reference) != "marking-definition" {
                    issues.append(
                        FieldIssue("granular_markings[\(index)].marking_ref", "must be a marking definition id"))
                }
                if (marking["selectors"]?.array ?? []).isEmpty {
                    issues.append(FieldIssue("granular_markings[\(index)].selectors", "required: a non-empty list"))
                }
            }
        }
        return issues
    }

    static func typeIssues(_ type: String, _ object: [String: JSONValue]) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        func reference(_ property: String, _ types: Set<String>? = nil) {
            guard let value = object[property] else { return }
            guard let type = STIXIdentifier.type(of: value.string ?? ""), types?.contains(type) ?? true else {
                issues.append(
                    FieldIssue(
                        property, "must be a STIX id\(types.map { " of \($0.sorted().joined(separator: ", "))" } ?? "")"
                    ))
                return
            }
        }
        func references(_ property: String) {
            guard let value = object[property] else { return }
            guard let list = value.array, !list.isEmpty else {
                issues.append(FieldIssue(property, "must be a non-empty list of STIX ids"))
                return
            }
            for (index, item) in list.enumerated() where STIXIdentifier.type(of: item.string ?? "") == nil {
                issues.append(FieldIssue("\(property)[\(index)]", "must be a STIX id"))
            }
        }
        func count(_ property: String, _ range: ClosedRange<Int64>) {
            guard let value = object[property] else { return }
            if !(value.integer.map(range.contains) ?? false) {
                issues.append(
                    FieldIssue(property, "must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
            }
        }
        count("confidence", 0...100)
        for property in ["object_refs", "where_sighted_refs", "observed_data_refs", "sample_refs"] {
            references(property)
        }
        switch type {
        case "indicator":
            if let patternType = object["pattern_type"], patternType.string == nil {
                issues.append(FieldIssue("pattern_type", "must be a string such as \"stix\""))
            }
            if let pattern = object["pattern"], pattern.string == nil {
                issues.append(FieldIssue("pattern", "must be a string"))
            }
        case "malware":
            if let family = object["is_family"], family != .bool(true) && family != .bool(false) {
                issues.append(FieldIssue("is_family", "must be true or false"))
            }
            if object["is_family"] == .bool(true), object["name"] == nil {
                issues.append(FieldIssue("name", "required for a malware family"))
            }
        case "relationship":
            reference("source_ref")
            reference("target_ref")
        case "sighting":
            reference("sighting_of_ref")
            count("count", 0...999_999_999)
        case "observed-data":
            count("number_observed", 1...999_999_999)
        case "opinion":
            let opinions = ["strongly-disagree", "disagree", "neutral", "agree", "strongly-agree"]
            if let opinion = object["opinion"], !opinions.contains(opinion.string ?? "") {
                issues.append(FieldIssue("opinion", "must be one of \(opinions.joined(separator: ", "))"))
            }
        case "ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr":
            if let value = object["value"]?.string, let kind = ObservableKind(stixType: type),
                Observable.normalise(value, as: kind) == nil
            {
                issues.append(FieldIssue("value", "'\(value)' is not a valid \(type)"))
            }
        case "file":
            if object["hashes"] == nil, object["name"] == nil {
                issues.append(FieldIssue("hashes", "a file needs hashes or a name"))
            }
        default:
            break
        }
        if let hashes = object["hashes"] {
            for (algorithm, value) in hashes.object ?? [:] {
                guard let kind = ObservableKind(hashAlgorithm: algorithm) else { continue }
                if Observable.normalise(value.string ?? "", as: kind) == nil {
                    issues.append(FieldIssue("hashes.\(algorithm)", "is not a \(algorithm) hash"))
                }
            }
        }
        return issues
    }
}
