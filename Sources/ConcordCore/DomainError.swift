/// A request the domain refuses. Each case maps to one stable problem type at the HTTP edge.
public enum DomainError: Error, Sendable, Equatable {
    /// A field is missing, malformed or out of range.
    case invalid(field: String, String)
    /// No valid credentials were presented, and the action needs some.
    case unauthenticated(String)
    /// The principal may not do this at all.
    case forbidden(String)
    /// Nothing the principal may see exists under this name. Also used for records hidden by
    /// their owner's restrictions, so that a refusal never confirms that a record exists.
    case notFound(String)
    /// The request contradicts the current state (a duplicate, a stale version).
    case conflict(String)
    /// This node is not set up for the request (for example, it holds no signing key).
    case unavailable(String)
}

extension Decision {
    /// The disclosure granted, or the error a caller reports for a denial. `hidden` becomes
    /// "not found" so that a refusal reads exactly like an absence.
    public func disclosure(
        for principal: Principal, _ subject: @autoclosure () -> String
    ) throws(DomainError)
        -> Disclosure
    {
        switch self {
        case .allow(let disclosure):
            return disclosure
        case .deny(.roleNotPermitted):
            if principal.kind == .anonymous { throw DomainError.unauthenticated("an API key is required") }
            throw DomainError.forbidden("your role may not do this")
        case .deny(.notOwner):
            throw DomainError.forbidden("only the owner of \(subject()) may do this")
        case .deny(.hidden):
            throw DomainError.notFound("no \(subject())")
        }
    }
}
