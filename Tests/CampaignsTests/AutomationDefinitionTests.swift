import Foundation
import Testing

@testable import Campaigns

@Suite struct AutomationDefinitionTests {
    @Test func branchesCompileToJumps() throws {
        let definition = try AutomationDefinition(
            json: """
                {"name": "n", "from_address": "a@example.org", "trigger": {"type": "event", "event": "e"},
                 "steps": [{"type": "send", "template_id": 1},
                           {"type": "branch", "condition": {"opened": "previous"},
                            "then": [{"type": "tag", "add": "hot"}, {"type": "wait", "seconds": 60}],
                            "else": [{"type": "tag", "add": "cold"}]},
                           {"type": "webhook", "url": "https://hooks.example/x"}]}
                """)
        let program = AutomationInstruction.compile(try #require(definition.steps))
        // 0 send, 1 branch (else → 5), 2 tag hot, 3 wait, 4 jump → 6, 5 tag cold, 6 webhook
        #expect(program.count == 7)
        #expect(program[1] == .branch(.openedPrevious, otherwise: 5))
        #expect(program[4] == .jump(6))
        #expect(program[5] == .addTag("cold"))
        #expect(program[6] == .webhook(url: "https://hooks.example/x"))
    }

    @Test func errorsNameTheMember() {
        func field(_ json: String) -> String? {
            do {
                _ = try AutomationDefinition(json: json)
                return nil
            } catch {
                if case .invalid(let field, _) = error { return field }
                return "\(error)"
            }
        }
        #expect(field(#"{"trigger": {"type": "sometimes"}}"#) == "trigger.type")
        #expect(field(#"{"trigger": {"type": "date", "field": "birthday", "time": "25:00"}}"#) == "trigger.time")
        #expect(field(#"{"steps": []}"#) == "steps")
        #expect(field(#"{"steps": [{"type": "send"}]}"#) == "steps[0].template_id")
        #expect(
            field(#"{"steps": [{"type": "branch", "condition": {"opened": "previous"}, "else": [{"type": "x"}]}]}"#)
                == "steps[0].else[0].type")
        #expect(field(#"{"steps": [{"type": "webhook", "url": "ftp://x"}]}"#) == "steps[0].url")
        #expect(field(#"{"goal": {"field": "nope", "op": "equals", "value": 1}}"#)?.hasPrefix("goal") == true)
        #expect(field(#"{"colour": "blue"}"#) == "colour")
    }

    @Test func storedFormParsesBackTheSame() throws {
        let steps: [AutomationStep] = [
            .send(AutomationSend(templateID: 3, subject: "Hi", fromAddress: nil, fromName: "N", campaignID: 9)),
            .wait(seconds: 86_400),
            .branch(.clickedPrevious, then: [.addToList("x")], otherwise: [.removeTag("t")]),
        ]
        let text = AutomationDefinition.text([
            "steps": steps.map(\.jsonObject),
            "trigger": AutomationTrigger.date(field: "birthday", secondOfDay: 32_400).jsonObject,
        ])
        let parsed = try AutomationDefinition(json: text)
        #expect(parsed.steps == steps)
        #expect(parsed.trigger == .date(field: "birthday", secondOfDay: 32_400))
    }
}
