import ConcordCore
import Foundation
import Hummingbird

extension Request {
    /// Decodes a JSON body strictly: bounded in size, JSON only, unknown fields refused.
    /// `fastPath` may read the commonest shapes by hand; whatever it returns nil for goes to
    /// the decoder.
    func decodeJSON<Value: Decodable>(
        _: Value.Type, context: ConcordRequestContext, fastPath: (([UInt8]) -> Value?)? = nil
    ) async throws -> Value {
        if let contentType = headers[.contentType], !Self.isJSON(contentType) {
            throw Problem.unsupportedMediaType(contentType)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem.bodyTooLarge
        }
        guard buffer.readableBytes > 0 else { throw Problem.malformedJSON("the body is empty") }
        if let fastPath, let value = fastPath(Array(buffer.readableBytesView)) { return value }
        do {
            return try ConcordJSON.decoder().decode(Value.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Problem(error)
        }
    }
}

extension Request {
    /// Whether a media type is `application/json` or `…+json`, parameters aside; read byte by
    /// byte because every JSON request passes here.
    static func isJSON(_ contentType: String) -> Bool {
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        let essence = Array(contentType.utf8.prefix { $0 != UInt8(ascii: ";") })
        let start = essence.firstIndex { !isBlank($0) } ?? essence.endIndex
        let end = essence.lastIndex { !isBlank($0) }.map { $0 + 1 } ?? start
        let lowercased = essence[start..<end].map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        return lowercased.elementsEqual("application/json".utf8) || lowercased.reversed().starts(with: "nosj+".utf8)
    }
}

/// A JSON response with a status other than 200 where needed.
struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]
    let body: Body

    init(_ body: Body, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.body = body
        self.status = status
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        let buffer =
            if let bytes = (body as? any HandEncodedJSON)?.handEncodedJSON {
                ByteBuffer(bytes: bytes)
            } else {
                ByteBuffer(bytes: try ConcordJSON.encoder().encode(body))
            }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}
