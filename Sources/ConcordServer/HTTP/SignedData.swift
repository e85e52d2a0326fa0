import ConcordCore
import Foundation
import HTTPTypes
import Hummingbird

/// Bytes signed with the node's Ed25519 key, as offline copies carry them: a member's bundle of
/// travel documents, or a partner's list of image signatures.
public struct SignedData: Sendable {
    public var data: Data
    public var signature: Data
    public var publicKey: MindPublicKey

    init(_ data: Data, signedWith key: MindSigningKey) throws {
        self.data = data
        signature = try key.sign(data)
        publicKey = key.publicKey
    }
}

extension Request {
    /// Where a full (`since` 0, the default) or delta export starts: a journal position.
    func exportStart() throws -> Int64 {
        let text = uri.queryParameters.get("since") ?? "0"
        guard let since = Int64(text) else {
            throw Problem.invalidField("/since", "'\(text)' is not a journal position")
        }
        return since
    }
}

extension Response {
    /// The data exactly as signed: the signature and the key travel in headers, so that the
    /// body stays byte for byte what was signed.
    init(signed: SignedData, signatureField: HTTPField.Name, keyField: HTTPField.Name) {
        self.init(
            status: .ok,
            headers: [
                .contentType: "application/json", signatureField: signed.signature.base64EncodedString(),
                keyField: signed.publicKey.hex,
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: signed.data)))
    }
}
