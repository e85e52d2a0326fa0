import ConcordCore
import Foundation
import Hummingbird

/// Per-request state: who is asking, once the authentication middleware has looked.
public struct ConcordRequestContext: RequestContext {
    /// One megabyte holds a full batch of 1,000 document checks several times over.
    public static let maximumBodySize = 1 << 20
    /// Bulk imports (`POST /v1/documents/bulk`) take up to 64 MiB, some 400,000 documents; larger
    /// files are split, or loaded with `concord import`.
    public static let maximumBulkBodySize = 64 << 20

    public var coreContext: CoreRequestContextStorage
    public var principal: Principal = .anonymous

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { Self.maximumBodySize }

    /// The record the path's `id` names. Ids are UUIDs: anything else cannot name a record and
    /// is answered without a lookup, with what was looked for (`noun`) named.
    func recordID(of noun: String) throws -> RecordID {
        let text = parameters.get("id") ?? ""
        guard let uuid = UUID(uuidString: text) else { throw Problem.notFound("no \(noun) \(text)") }
        return RecordID(rawValue: uuid.uuidString.lowercased())
    }
}
