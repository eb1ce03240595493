import Foundation

/// The layout of a spool directory:
///
///     <root>/lock                   flock'ed by the one process that writes
///     <root>/segments/<seq>.seg     append-only segment files, seq zero-padded to 10 digits
///     <root>/quarantine/            copies of damaged or torn byte ranges, `<seq>-<offset>.{bad,torn}`
struct SpoolPaths: Sendable {
    let root: String

    init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    var segments: String { root + "/segments" }
    var quarantine: String { root + "/quarantine" }
    var lock: String { root + "/lock" }

    func segment(_ sequence: UInt32) -> String {
        let digits = String(sequence)
        return segments + "/" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits + ".seg"
    }

    func quarantine(segment sequence: UInt32, offset: Int, torn: Bool) -> String {
        quarantine + "/\(sequence)-\(offset).\(torn ? "torn" : "bad")"
    }

    /// Sequence numbers of the segment files present, ascending.
    func listSegments() throws -> [UInt32] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: segments)
        } catch CocoaError.fileReadNoSuchFile {
            return []
        } catch {
            throw SpoolError.io(operation: "list", path: segments, errno: ENOENT)
        }
        return names.compactMap { name -> UInt32? in
            guard name.hasSuffix(".seg") else { return nil }
            return UInt32(name.dropLast(4))
        }.sorted()
    }
}
