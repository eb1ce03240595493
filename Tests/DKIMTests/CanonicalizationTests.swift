import Foundation
import NIOCore
import Testing

@testable import DKIM

/// RFC 6376 §3.4 canonicalisation, checked against the corpus vectors (two transcribe §3.4.5 verbatim).
@Suite struct CanonicalizationTests {
    struct Vector: Sendable, CustomStringConvertible {
        var id: String
        var message: String
        var canonicalization: String
        var headerFields: [String]
        var expectedHeaders: String
        var expectedBody: String
        var expectedBodyHash: String
        var description: String { id }
    }

    static func vectors() throws -> [Vector] {
        guard let root = try Corpus.json("rfc6376-canon/canon_vectors.json") as? [String: Any],
            let entries = root["vectors"] as? [[String: Any]]
        else { throw CorpusError("canon_vectors.json has no vectors") }
        return entries.map { entry in
            Vector(
                id: entry["id"] as? String ?? "?", message: entry["message"] as? String ?? "",
                canonicalization: entry["canonicalization"] as? String ?? "",
                headerFields: entry["header_fields"] as? [String] ?? [],
                expectedHeaders: entry["expected_headers"] as? String ?? "",
                expectedBody: entry["expected_body"] as? String ?? "",
                expectedBodyHash: entry["expected_bh_sha256"] as? String ?? "")
        }
    }

    @Test func corpusHasTheRFCExamples() throws {
        let ids = try Self.vectors().map(\.id)
        #expect(ids.contains("rfc6376-3.4.5-example1"))
        #expect(ids.contains("rfc6376-3.4.5-example2"))
        #expect(ids.count == 14)
    }

    @Test(arguments: try vectors())
    func vector(_ vector: Vector) throws {
        let canonicalization = try #require(DKIMCanonicalization(tagValue: vector.canonicalization))
        let bytes = Array(vector.message.utf8)
        let (headers, digest, length) = bytes.withUnsafeBytes { raw in
            let parsed = DKIMParsedMessage(raw)
            var headers: [UInt8] = []
            for name in vector.headerFields {
                if let field = parsed.fields.last(where: { $0.lowercasedName == name.lowercased() }) {
                    DKIMHeaderCanonicalizer.append(field, canonicalization.header, to: &headers)
                }
            }
            let body = UnsafeRawBufferPointer(rebasing: raw[parsed.bodyOffset...])
            let hashed = DKIMBodyCanonicalizer.hash(body: body, canonicalization.body)
            return (headers, hashed.digest, hashed.canonicalLength)
        }
        #expect(String(decoding: headers, as: UTF8.self) == vector.expectedHeaders)
        #expect(DKIMBase64.encode(digest) == vector.expectedBodyHash)
        #expect(
            DKIMBase64.encode(DKIMHasher.digest(.sha256, of: Array(vector.expectedBody.utf8)))
                == vector.expectedBodyHash)
        #expect(length == vector.expectedBody.utf8.count)
    }

    /// The §3.4.5 example message, written out here as well so the RFC text itself is under test.
    @Test func rfc6376Section345Example() {
        let message = Array("A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n".utf8)
        message.withUnsafeBytes { raw in
            let parsed = DKIMParsedMessage(raw)
            var relaxed: [UInt8] = []
            var simple: [UInt8] = []
            for field in parsed.fields {
                DKIMHeaderCanonicalizer.append(field, .relaxed, to: &relaxed)
                DKIMHeaderCanonicalizer.append(field, .simple, to: &simple)
            }
            #expect(String(decoding: relaxed, as: UTF8.self) == "a:X\r\nb:Y Z\r\n")
            #expect(String(decoding: simple, as: UTF8.self) == "A: X\r\nB : Y\t\r\n\tZ  \r\n")
            let body = UnsafeRawBufferPointer(rebasing: raw[parsed.bodyOffset...])
            let relaxedBody = DKIMBodyCanonicalizer.hash(body: body, .relaxed)
            let simpleBody = DKIMBodyCanonicalizer.hash(body: body, .simple)
            #expect(relaxedBody.digest == DKIMHasher.digest(.sha256, of: Array(" C\r\nD E\r\n".utf8)))
            #expect(simpleBody.digest == DKIMHasher.digest(.sha256, of: Array(" C \r\nD \t E\r\n".utf8)))
        }
    }

    @Test(arguments: [
        ("a\nb\n", DKIMCanonicalizationAlgorithm.simple, "a\r\nb\r\n"),
        ("a \t\nb", .relaxed, "a\r\nb\r\n"),
        ("\r\n\r\nx\r\n\r\n", .simple, "\r\n\r\nx\r\n"),
        ("x\ry\r\n", .simple, "x\ry\r\n"),
        ("", .simple, "\r\n"),
        ("", .relaxed, ""),
    ])
    func bodyEdgeCases(body: String, algorithm: DKIMCanonicalizationAlgorithm, expected: String) {
        let digest = Array(body.utf8).withUnsafeBytes { DKIMBodyCanonicalizer.hash(body: $0, algorithm).digest }
        #expect(digest == DKIMHasher.digest(.sha256, of: Array(expected.utf8)))
    }

    @Test func bodyLengthLimitHashesOnlyThePrefix() {
        let body = Array("first line\r\nsecond line\r\n".utf8)
        let result = body.withUnsafeBytes { DKIMBodyCanonicalizer.hash(body: $0, .simple, limit: 12) }
        #expect(result.digest == DKIMHasher.digest(.sha256, of: Array("first line\r\n".utf8)))
        #expect(result.canonicalLength == body.count)
    }

    @Test func longBodiesCrossTheScratchBuffer() {
        var text = ""
        for index in 0..<5000 { text += "line \(index)   with  spaces \t\r\n" }
        text += String(repeating: "z", count: 40_000) + "\r\n\r\n"
        let expected =
            text.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast(2).map { line in
                line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            }.joined(separator: "\r\n") + "\r\n"
        let digest = Array(text.utf8).withUnsafeBytes { DKIMBodyCanonicalizer.hash(body: $0, .relaxed).digest }
        #expect(digest == DKIMHasher.digest(.sha256, of: Array(expected.utf8)))
    }
}
