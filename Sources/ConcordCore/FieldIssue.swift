/// One missing or invalid field of a request, named by its path (`subjects[0].dateOfBirth`,
/// `judicial.charges[1].penalty`) in the same style `DomainError.invalid` names fields.
public struct FieldIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    /// The field as a JSON pointer (`/subjects/0/dateOfBirth`), as problem documents name fields.
    public var pointer: String {
        var pointer = "/"
        for character in field {
            switch character {
            case ".", "[": pointer.append("/")
            case "]": continue
            default: pointer.append(character)
            }
        }
        return pointer
    }

    public var description: String { "\(field): \(reason)" }
}

/// A request refused for every issue found at once, so that the sender can fix them all in one
/// go. Kept apart from `DomainError`, whose cases each name a single field.
public struct ValidationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var issues: [FieldIssue]

    public init(_ issues: [FieldIssue]) {
        self.issues = issues
    }

    public var description: String { issues.map(\.description).joined(separator: "; ") }
}
