import Foundation

/// A flow: contacts enter on a trigger and walk its steps — send a template, wait, branch, tag, list, call a
/// webhook — each contact's position stored, so that a restart loses and repeats nothing. Drip sequences are
/// flows of sends and waits.
public struct Automation: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var status: AutomationStatus
    public var trigger: AutomationTrigger
    /// The steps as given (nested branches), for the API.
    public var steps: [AutomationStep]
    /// The steps compiled to a flat program (branches as jumps); a run's position indexes it.
    public var program: [AutomationInstruction]
    /// Leaving early: the contact matches this segment (a goal reached). Unsubscribing always exits.
    public var goal: Segment?
    public var goalJSON: String?
    /// Whether a contact may enter again after leaving (otherwise once per contact).
    public var allowReentry: Bool
    /// Defaults for send steps.
    public var fromAddress: String
    public var fromName: String
    public var postalAddress: String
    public var created: Date
    public var updated: Date
}

public enum AutomationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Enrols and advances.
    case active
    /// Neither: runs keep their position and continue on activation.
    case paused
}

/// What makes a contact enter.
public enum AutomationTrigger: Sendable, Hashable {
    /// The contact is added to the list (by any path: API, import, a flow's list step).
    case listSubscribed(list: String)
    /// `POST /api/v1/events` with this name.
    case event(name: String)
    /// The custom field (`YYYY-MM-DD` or `MM-DD`) comes round: once a year on that month and day, from
    /// `secondOfDay` (UTC) on.
    case date(field: String, secondOfDay: Int)
    /// The tag is added to the contact (API create or update, or a flow's tag step).
    case tagAdded(tag: String)
    case campaignOpened(campaign: Int64)
    case campaignClicked(campaign: Int64)
    /// Mailed by the campaign and not opened (by a human) `afterSeconds` after it was sent.
    case campaignNotOpened(campaign: Int64, afterSeconds: Double)
}

/// A step as the API gives it.
public indirect enum AutomationStep: Sendable, Hashable {
    case send(AutomationSend)
    case wait(seconds: Double)
    case waitUntil(Date)
    case branch(AutomationCondition, then: [AutomationStep], otherwise: [AutomationStep])
    case addTag(String)
    case removeTag(String)
    case addToList(String)
    case removeFromList(String)
    case webhook(url: String)
}

/// A send step: a template, optionally another subject or sender than the flow's.
public struct AutomationSend: Sendable, Hashable {
    public var templateID: Int64
    public var subject: String?
    public var fromAddress: String?
    public var fromName: String?
    /// The hidden campaign that carries this step's messages (tracking, ledger, analytics); set at creation.
    public var campaignID: Int64 = 0
}

/// A branch condition, evaluated when the contact reaches it.
public enum AutomationCondition: Sendable, Hashable {
    /// The contact matches the segment definition (JSON, as for segments).
    case segment(Segment, json: String)
    /// The flow's last message to the contact was opened / clicked by a human.
    case openedPrevious, clickedPrevious
}

/// A compiled step; `branch` jumps, the others continue with the next instruction.
public enum AutomationInstruction: Sendable, Hashable {
    case send(AutomationSend)
    case wait(seconds: Double)
    case waitUntil(Date)
    case branch(AutomationCondition, otherwise: Int)
    case jump(Int)
    case addTag(String)
    case removeTag(String)
    case addToList(String)
    case removeFromList(String)
    case webhook(url: String)

    /// Nested steps to a flat program: `branch` falls through into its `then` steps, which end with a jump
    /// past the `else` steps; `otherwise` is the index of the first `else` step.
    public static func compile(_ steps: [AutomationStep]) -> [AutomationInstruction] {
        var program: [AutomationInstruction] = []
        func emit(_ steps: [AutomationStep]) {
            for step in steps {
                switch step {
                case .send(let send): program.append(.send(send))
                case .wait(let seconds): program.append(.wait(seconds: seconds))
                case .waitUntil(let date): program.append(.waitUntil(date))
                case .branch(let condition, let then, let otherwise):
                    let branch = program.count
                    program.append(.jump(0))  // patched below
                    emit(then)
                    let skip = program.count
                    program.append(.jump(0))
                    emit(otherwise)
                    program[branch] = .branch(condition, otherwise: skip + 1)
                    program[skip] = .jump(program.count)
                case .addTag(let tag): program.append(.addTag(tag))
                case .removeTag(let tag): program.append(.removeTag(tag))
                case .addToList(let list): program.append(.addToList(list))
                case .removeFromList(let list): program.append(.removeFromList(list))
                case .webhook(let url): program.append(.webhook(url: url))
                }
            }
        }
        emit(steps)
        return program
    }
}

/// One contact's way through a flow.
public struct AutomationRun: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        case active, done, exited
    }

    public var id: Int64
    public var automationID: Int64
    public var contactID: Int64
    /// The program index of the step the contact is at.
    public var position: Int
    public var state: State
    /// At a wait step: the wait has started and ends at `wakeAt`.
    public var waiting: Bool
    public var wakeAt: Date
    /// A send in progress: its message's queue id (stored before the message is spooled, cleared after).
    public var pendingQueueID: String?
    /// The hidden campaign of the last message sent, for "opened / clicked the previous message".
    public var lastCampaignID: Int64?
    public var exitReason: String
    public var entered: Date
    public var updated: Date
}
