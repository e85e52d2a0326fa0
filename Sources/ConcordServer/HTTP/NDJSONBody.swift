import Foundation
import Hummingbird

extension Request {
    /// The media types of a body of JSON lines; `x-` is what most tools still send.
    static let ndjsonTypes: Set<String> = ["application/x-ndjson", "application/ndjson", "application/jsonl"]

    /// Collects a newline-delimited JSON body of up to `limit` bytes. It is read whole before any
    /// line is looked at, so that a body refused as too large has changed nothing.
    func collectNDJSON(upTo limit: Int) async throws -> ByteBuffer {
        let contentType = headers[.contentType] ?? "none"
        let essence = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard let essence, Request.ndjsonTypes.contains(essence) else {
            throw Problem.unsupportedMediaType(
                contentType, expected: "application/x-ndjson", title: "Send one JSON document per line")
        }
        if let length = headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Problem.bodyTooLarge(limit: limit)
        }
        do {
            return try await body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem.bodyTooLarge(limit: limit)
        }
    }
}
