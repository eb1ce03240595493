import Foundation
import Spool
import Testing

@Suite struct QueueIDTests {
    @Test func textRoundTrip() throws {
        let id = QueueID.generate()
        #expect(id.description.count == 16)
        #expect(QueueID(id.description) == id)
        #expect(QueueID(id.description.lowercased()) == id)
    }

    @Test(arguments: ["", "0123456789ABCDE", "0123456789ABCDEFG", "0123456789ABCDEU", "0123456789ABCDE!"])
    func rejects(_ text: String) {
        #expect(QueueID(text) == nil)
    }

    @Test func crockfordAliases() {
        #expect(QueueID("OIL0000000000000") == QueueID("0110000000000000"))
    }

    @Test func timeSortableAndUnique() {
        var previous = QueueID.generate()
        var seen: Set<QueueID> = [previous]
        for _ in 0..<10_000 {
            let next = QueueID.generate()
            #expect(previous < next)
            #expect(previous.description < next.description)
            seen.insert(next)
            previous = next
        }
        #expect(seen.count == 10_001)
    }

    @Test func timestampIsNow() {
        let id = QueueID.generate()
        #expect(abs(id.timestamp.timeIntervalSinceNow) < 5)
    }

    @Test func codableAsString() throws {
        let id = QueueID.generate()
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(id)\"]")
        #expect(try JSONDecoder().decode([QueueID].self, from: data) == [id])
    }
}
