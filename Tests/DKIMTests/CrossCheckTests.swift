import Foundation
import NIOCore
import Testing

@testable import DKIM

/// Messages Petrel signs verify with two independent implementations: dkimpy (`python3-dkim`) and OpenDKIM
/// (`opendkim-testmsg` from `opendkim-tools`). Every algorithm × canonicalisation × message shape, one signature
/// per file, plus a tampered control per algorithm that both tools must reject. Missing tools fail the test;
/// `PETREL_DKIM_CROSSCHECK=0` disables it visibly.
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["PETREL_DKIM_CROSSCHECK"] != "0",
        "disabled by PETREL_DKIM_CROSSCHECK=0"), .serialized)
struct CrossCheckTests {
    struct Case {
        var file: String
        var expectPass: Bool
    }

    /// Signs every shape into `directory`; returns the cases and the key records.
    private func writeMessages(into directory: URL) throws -> [Case] {
        var cases: [Case] = []
        let canonicalizations: [DKIMCanonicalization] = [
            .relaxedRelaxed, .simpleSimple, DKIMCanonicalization(header: .relaxed, body: .simple),
            DKIMCanonicalization(header: .simple, body: .relaxed),
        ]
        for algorithm in [DKIMAlgorithm.rsaSHA256, .ed25519SHA256] {
            for canonicalization in canonicalizations {
                for shape in TestMessages.shapes {
                    let message = TestMessages.buffer(shape)
                    var signer = TestKeys.signer(algorithm, canonicalization)
                    signer.expiration = 86_400 * 365 * 30
                    let field = try signer.sign(message: message, time: Int64(Date().timeIntervalSince1970))
                    let name = "\(algorithm.rawValue)-\(canonicalization.header)-\(canonicalization.body)-\(shape).eml"
                    try Data((field + TestMessages.message(shape)).utf8).write(
                        to: directory.appendingPathComponent(name))
                    cases.append(Case(file: name, expectPass: true))
                    if shape == "plain" && canonicalization == .relaxedRelaxed {
                        let tampered =
                            field + TestMessages.message(shape).replacingOccurrences(of: "test.", with: "tost.")
                        let control = "control-tampered-\(algorithm.rawValue).eml"
                        try Data(tampered.utf8).write(to: directory.appendingPathComponent(control))
                        cases.append(Case(file: control, expectPass: false))
                    }
                }
            }
        }
        let keys = [
            "rsa._domainkey.example.com": TestKeys.rsa.keyRecordText,
            "ed._domainkey.example.com": TestKeys.ed25519.keyRecordText,
        ]
        try JSONSerialization.data(withJSONObject: keys).write(to: directory.appendingPathComponent("keys.json"))
        return cases
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-dkim-xc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a program, returning its exit status and combined output.
    private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func requireTool(_ path: String, _ package: String) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CorpusError("cross-check needs \(path): apt-get install -y \(package)")
        }
    }

    /// `PASS path` / `FAIL path...` lines → file name → passed.
    private func outcomes(_ output: String) -> [String: Bool] {
        var outcomes: [String: Bool] = [:]
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ", maxSplits: 1)
            guard words.count == 2, words[0] == "PASS" || words[0] == "FAIL" else { continue }
            let path = words[1].split(separator: ":").first.map(String.init) ?? ""
            outcomes[URL(fileURLWithPath: path).lastPathComponent] = words[0] == "PASS"
        }
        return outcomes
    }

    private func check(_ cases: [Case], _ outcomes: [String: Bool], tool: String, output: String) {
        #expect(cases.count == 66)
        for testCase in cases {
            let outcome = outcomes[testCase.file]
            #expect(
                outcome == testCase.expectPass, "\(tool) on \(testCase.file): \(String(describing: outcome))\n\(output)"
            )
        }
    }

    @Test func dkimpyVerifiesPetrelSignatures() throws {
        try requireTool("/usr/bin/python3", "python3")
        let probe = try run("/usr/bin/python3", ["-I", "-c", "import dkim, nacl"])
        guard probe.status == 0 else {
            throw CorpusError(
                "cross-check needs dkimpy with Ed25519: apt-get install -y python3-dkim python3-nacl\n\(probe.output)")
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases = try writeMessages(into: directory)
        let script = directory.appendingPathComponent("dkimpy_verify.py")
        try Data(CrossCheckScripts.dkimpyVerify.utf8).write(to: script)
        let result = try run(
            "/usr/bin/python3",
            ["-I", script.path, directory.appendingPathComponent("keys.json").path]
                + cases.map { directory.appendingPathComponent($0.file).path })
        check(cases, outcomes(result.output), tool: "dkimpy", output: result.output)
    }

    @Test func opendkimVerifiesPetrelSignatures() throws {
        try requireTool("/usr/sbin/opendkim-testmsg", "opendkim-tools")
        try requireTool("/usr/bin/unshare", "util-linux")
        try requireTool("/usr/sbin/ip", "iproute2")
        guard getuid() == 0 else {
            throw CorpusError(
                "the OpenDKIM cross-check runs opendkim-testmsg in its own mount and network namespace "
                    + "with a stub DNS server, which needs root")
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases = try writeMessages(into: directory)
        try Data(CrossCheckScripts.stubDNS.utf8).write(to: directory.appendingPathComponent("stub_dns.py"))
        let script = directory.appendingPathComponent("opendkim_run.sh")
        try Data(CrossCheckScripts.opendkimRun.utf8).write(to: script)
        let result = try run(
            "/usr/bin/unshare",
            ["--mount", "--net", "/bin/sh", script.path, directory.path]
                + cases.map { directory.appendingPathComponent($0.file).path })
        #expect(result.status == 0, "\(result.output)")
        check(cases, outcomes(result.output), tool: "opendkim-testmsg", output: result.output)
    }
}
