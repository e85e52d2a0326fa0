import Foundation

/// Why a JSON value could not be decoded, in the terms every interface reports it: a stable
/// kind, the JSON pointer of the field at fault, and a reason a person can act on. The HTTP API
/// turns it into a problem; a bulk import reports it for the line at fault.
public struct DecodingFailure: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case malformedJSON = "malformed-json"
        case unknownField = "unknown-field"
        case invalidField = "invalid-field"
    }

    public var kind: Kind
    /// JSON pointer; nil when the text is not JSON at all.
    public var field: String?
    public var detail: String

    public init(kind: Kind, field: String?, detail: String) {
        self.kind = kind
        self.field = field
        self.detail = detail
    }

    public init(_ error: DecodingError) {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self.init(
                kind: .malformedJSON, field: nil,
                detail: DecodingFailure.describe(context.underlyingError) ?? context.debugDescription)
        case .dataCorrupted(let context):
            let field = DecodingFailure.pointer(context.codingPath)
            if context.debugDescription.hasPrefix("unknown field") {
                self.init(
                    kind: .unknownField, field: field,
                    detail: "unknown field '\(field.split(separator: "/").last ?? "")'")
            } else {
                self.init(kind: .invalidField, field: field, detail: context.debugDescription)
            }
        case .keyNotFound(let key, let context):
            self.init(
                kind: .invalidField, field: DecodingFailure.pointer(context.codingPath + [key]),
                detail: "missing field '\(key.stringValue)'")
        case .typeMismatch(let type, let context):
            self.init(
                kind: .invalidField, field: DecodingFailure.pointer(context.codingPath),
                detail: "expected \(DecodingFailure.jsonName(of: type))")
        case .valueNotFound(let type, let context):
            self.init(
                kind: .invalidField, field: DecodingFailure.pointer(context.codingPath),
                detail: "expected \(DecodingFailure.jsonName(of: type)), found null")
        @unknown default:
            self.init(kind: .malformedJSON, field: nil, detail: "\(error)")
        }
    }

    public static func pointer(_ path: [any CodingKey]) -> String {
        "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
    }

    /// Domain errors name fields by path without the leading slash.
    public static func pointer(_ field: String) -> String { field.hasPrefix("/") ? field : "/" + field }

    static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: type == [Any].self ? "an array" : "an object or value of the documented type"
        }
    }

    private static func describe(_ error: (any Error)?) -> String? {
        guard let error else { return nil }
        let description = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return description ?? "\(error)"
    }
}
