import ConcordCore
import Foundation
import Testing

/// Border systems send checks of one shape all day long; the hand-written reader and writer
/// serve that shape, and must never answer differently from the coders.
@Suite("Document check fast path")
struct DocumentCheckFastPathTests {
    @Test(arguments: [
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"24XF99871"}]}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"24XF99871"}],"terminal":"CDG T2 desk 4"}"#,
        "{ \"location\" : \"Bruxelles-Midi\",\n\t\"documents\" : [ { \"number\" : \" l01 x00 \", \"type\" : \"id-card\","
            + " \"issuer\" : \"d<<\" } , {\"issuer\":\"deu\",\"type\":\"visa\",\"number\":\"9\"} ] ,\"terminal\":\"T\" }\r\n",
        #"{"documents":[{"issuer":"UNO","type":"other","number":""}]}"#,
    ])
    func readerAgreesWithTheDecoder(body: String) throws {
        let fast = try #require(DocumentJSONFastPath.decodeCheck(Array(body.utf8)))
        #expect(fast == (try ConcordJSON.decoder().decode(DocumentCheckRequest.self, from: Data(body.utf8))))
    }

    @Test(arguments: [
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"24\u0058"}]}"#,
        #"{"documents":[{"mrz":["P<FRA","X"]}]}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"1","colour":"red"}]}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"1","number":"2"}]}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport"}]}"#,
        #"{"documents":[{"issuer":"XYZ","type":"passport","number":"1"}]}"#,
        #"{"documents":[{"issuer":"FRA","type":"book","number":"1"}]}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":1}]}"#,
        #"{"documents":[]}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"1"}],"documents":[]}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"1"}],"terminal":""}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"1"}],"terminal":"Zürich"}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"1"}],"terminal":null}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"1"}],"gate":"A"}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"1"}]} x"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"1"},]}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":"1"}]"#,
        #"{}"#,
        #"[]"#,
        "",
    ])
    func readerLeavesEverythingElseToTheDecoder(body: String) {
        #expect(DocumentJSONFastPath.decodeCheck(Array(body.utf8)) == nil)
    }

    @Test func readerHoldsToTheLimits() throws {
        let document = #"{"issuer":"FRA","type":"passport","number":"1"}"#
        func body(documents: Int, terminal: Int = 1) -> [UInt8] {
            let list = Array(repeating: document, count: documents).joined(separator: ",")
            return Array(#"{"documents":[\#(list)],"terminal":"\#(String(repeating: "t", count: terminal))"}"#.utf8)
        }
        #expect(
            DocumentJSONFastPath.decodeCheck(body(documents: DocumentCheckRequest.maximumBatch))?.documents.count
                == DocumentCheckRequest.maximumBatch)
        #expect(DocumentJSONFastPath.decodeCheck(body(documents: DocumentCheckRequest.maximumBatch + 1)) == nil)
        #expect(
            DocumentJSONFastPath.decodeCheck(body(documents: 1, terminal: DocumentCheckRequest.maximumLabelLength))
                != nil)
        #expect(
            DocumentJSONFastPath.decodeCheck(body(documents: 1, terminal: DocumentCheckRequest.maximumLabelLength + 1))
                == nil)
    }

    @Test(arguments: [1, 2, 7])
    func missesAreWrittenAsTheEncoderWritesThem(count: Int) throws {
        let members = DocumentCheckResponse(results: Array(repeating: .noHit, count: count))
        let partners = PartnerCheckResponse(
            results: Array(repeating: PartnerCheckResult(hit: false, reference: nil), count: count))
        #expect(try #require(members.handEncodedJSON) == Array(try ConcordJSON.encoder().encode(members)))
        #expect(try #require(partners.handEncodedJSON) == Array(try ConcordJSON.encoder().encode(partners)))
    }

    @Test func answersWithAHitAreLeftToTheEncoder() {
        let members = DocumentCheckResponse(results: [
            .noHit, DocumentCheckResult(hit: true, document: nil, reference: "h"),
        ])
        let partners = PartnerCheckResponse(results: [PartnerCheckResult(hit: true, reference: "h")])
        #expect(members.handEncodedJSON == nil)
        #expect(partners.handEncodedJSON == nil)
    }
}
