import Foundation

@testable import ConcordCore

extension DomainError {
    /// The field an `invalid` error names; nil for every other kind of error.
    var invalidField: String? {
        if case .invalid(let field, _) = self { return field }
        return nil
    }

    var isConflict: Bool {
        if case .conflict = self { return true }
        return false
    }
}

/// An instant written the way people read them, so expectations stay checkable by eye.
func instant(_ text: String) -> Date {
    guard let date = try? Date(text, strategy: .iso8601) else {
        preconditionFailure("bad test instant \(text)")
    }
    return date
}

func member(_ code: String) -> MemberCode {
    guard let member = MemberCode(code) else { preconditionFailure("not a member: \(code)") }
    return member
}

func issuer(_ code: String) -> IssuerCode {
    guard let issuer = IssuerCode(code) else { preconditionFailure("not an issuer: \(code)") }
    return issuer
}

func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try ConcordJSON.decoder().decode(type, from: Data(json.utf8))
}

/// The coding path of a decoding error, as strings (array indices as numbers), or nil when the
/// error is not a decoding error.
func codingPath(of error: any Error) -> [String]? {
    // Foundation names array positions "Index 1"; the number is what matters.
    func name(_ key: any CodingKey) -> String { key.intValue.map(String.init) ?? key.stringValue }
    guard let error = error as? DecodingError else { return nil }
    let context: DecodingError.Context
    switch error {
    case .dataCorrupted(let c): context = c
    case .keyNotFound(let key, let c): return (c.codingPath + [key]).map(name)
    case .typeMismatch(_, let c): context = c
    case .valueNotFound(_, let c): context = c
    default: return nil
    }
    return context.codingPath.map(name)
}
