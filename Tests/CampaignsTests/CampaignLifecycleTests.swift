import Campaigns
import Foundation
import Testing

@Suite struct CampaignLifecycleTests {
    @Test(arguments: [
        (CampaignStatus.draft, CampaignStatus.sending, true), (.draft, .scheduled, true), (.scheduled, .draft, true),
        (.sending, .paused, true), (.paused, .sending, true), (.sending, .sent, true), (.paused, .cancelled, true),
        (.draft, .paused, false), (.sent, .sending, false), (.cancelled, .sending, false), (.sent, .cancelled, false),
        (.paused, .sent, false), (.scheduled, .paused, false),
    ])
    func transitions(from: CampaignStatus, to: CampaignStatus, allowed: Bool) {
        #expect(from.allows(to) == allowed)
    }

    @Test func recurrenceSteps() throws {
        let start = try Date("2026-01-31T09:00:00Z", strategy: .iso8601)
        #expect(CampaignRecurrence.none.next(after: start) == nil)
        #expect(CampaignRecurrence.daily.next(after: start) == start.addingTimeInterval(86_400))
        #expect(CampaignRecurrence.weekly.next(after: start) == start.addingTimeInterval(7 * 86_400))
        // Monthly from 31 January: the last day of February.
        #expect(CampaignRecurrence.monthly.next(after: start) == (try Date("2026-02-28T09:00:00Z", strategy: .iso8601)))
    }
}
