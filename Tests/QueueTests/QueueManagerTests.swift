import Foundation
import PetrelConfig
import Spool
import Testing

@testable import Queue

@Suite struct QueueManagerTests {
    @Test func deliveredMessagesLeaveTheSpool() async throws {
        let harness = try QueueHarness(runner: ScriptedRunner { _, _ in .ok })
        let id = try await harness.submit(["a@one.test", "b@two.test"])
        await harness.runDue()
        #expect(harness.spool.message(id) == nil)
        #expect(Set(harness.events.log.withLockedValue { $0 }) == ["delivered a@one.test", "delivered b@two.test"])
    }

    /// Deferred, then delivered on retry: time moves only through the test clock.
    @Test func deferredThenDeliveredOnRetry() async throws {
        let harness = try QueueHarness(runner: ScriptedRunner { _, attempt in attempt == 1 ? .tempFail : .ok })
        let id = try await harness.submit(["a@slow.test"])
        await harness.runDue()
        #expect(harness.states(id) == [.deferred])
        // Not yet due: retry_initial is 300 s ± 10 %.
        harness.clock.advance(by: .seconds(200))
        await harness.runDue()
        #expect(harness.states(id) == [.deferred])
        harness.clock.advance(by: .seconds(200))
        await harness.runDue()
        #expect(harness.spool.message(id) == nil)
        #expect(harness.events.log.withLockedValue { $0 } == ["deferred a@slow.test", "delivered a@slow.test"])
    }

    @Test func permanentFailureBounces() async throws {
        let harness = try QueueHarness(
            runner: ScriptedRunner { domain, _ in domain == "bad.test" ? .userUnknown : .ok })
        let id = try await harness.submit(["x@bad.test", "y@good.test"])
        await harness.runDue()
        #expect(harness.spool.message(id) == nil)
        #expect(
            Set(harness.events.log.withLockedValue { $0 }) == ["failed x@bad.test 5.1.1", "delivered y@good.test"])
    }

    @Test func planFailuresAreFinalOrRetried() async throws {
        let harness = try QueueHarness(
            runner: ScriptedRunner { _, _ in .ok },
            plans: [
                "nullmx.test": .failure(.permanent(status: "5.1.10", text: "null MX")),
                "servfail.test": .failure(.temporary(status: "4.4.3", text: "SERVFAIL")),
            ])
        let id = try await harness.submit(["a@nullmx.test", "b@servfail.test"])
        await harness.runDue()
        #expect(harness.states(id) == [.bounced, .deferred])
        #expect(harness.events.log.withLockedValue { $0 }.contains("failed a@nullmx.test 5.1.10"))
    }

    @Test func expiresAfterMaxAge() async throws {
        let harness = try QueueHarness(
            runner: ScriptedRunner { _, _ in .tempFail },
            retry: RetrySchedule(initial: .seconds(3600), maximum: .seconds(3600), maxAge: .seconds(3 * 3600)))
        let id = try await harness.submit(["a@never.test"])
        for _ in 0..<5 {
            await harness.runDue()
            harness.clock.advance(by: .seconds(4000))
        }
        await harness.runDue()
        #expect(harness.spool.message(id) == nil)
        #expect(harness.events.log.withLockedValue { $0 }.last == "expired a@never.test 4.4.7")
    }

    @Test func connectionLimitHeld() async throws {
        var shaping = ShapingConfig.builtIn
        shaping.defaults = PathLimits(maxConnections: 3, maxMessagesPerConnection: 5)
        let runner = ScriptedRunner(hold: .milliseconds(5)) { _, _ in .ok }
        let harness = try QueueHarness(runner: runner, shaping: shaping)
        var ids: [QueueID] = []
        for index in 0..<40 { ids.append(try await harness.submit(["u\(index)@site.test"])) }
        await harness.runDue()
        #expect(ids.allSatisfy { harness.spool.message($0) == nil })
        let stats = runner.concurrent.withLockedValue { $0 }
        #expect(stats.peak <= 3)
        #expect(stats.connections >= 40 / 5)
    }

    @Test func backoffRuleSuspendsTheSite() async throws {
        var shaping = ShapingConfig.builtIn
        shaping.defaults = PathLimits(maxConnections: 1, maxMessagesPerConnection: 100)
        shaping.backoff = [BackoffRule(pattern: "4.7.28", action: .suspend, duration: .seconds(1800))]
        let runner = ScriptedRunner { _, _ in
            RecipientOutcome(kind: .temporary, code: 421, status: "4.7.28", text: "unusual rate")
        }
        let harness = try QueueHarness(runner: runner, shaping: shaping)
        for index in 0..<5 { _ = try await harness.submit(["u\(index)@busy.test"]) }
        await harness.runDue()
        // The first reply suspended the site: the other four never went out.
        #expect(runner.concurrent.withLockedValue { $0.connections } == 1)
        #expect(harness.events.log.withLockedValue { $0 }.count == 1)
    }

    @Test func flushAndSuspend() async throws {
        let harness = try QueueHarness(runner: ScriptedRunner { _, attempt in attempt == 1 ? .tempFail : .ok })
        let id = try await harness.submit(["a@later.test"])
        await harness.runDue()
        await harness.manager.suspend(domain: "later.test")
        _ = await harness.manager.flush()
        await harness.runDue()
        #expect(harness.states(id) == [.deferred])
        await harness.manager.resume(domain: "later.test")
        _ = await harness.manager.flush(domain: "later.test")
        await harness.runDue()
        #expect(harness.spool.message(id) == nil)
    }
}

@Suite struct QueuePartsTests {
    @Test func retryScheduleGrowsAndCaps() {
        var random = SystemRandomNumberGenerator()
        let schedule = RetrySchedule(initial: .seconds(300), factor: 2, maximum: .seconds(3600), jitter: 0)
        #expect(
            [1, 2, 3, 4, 5, 9].map { schedule.delay(afterAttempt: $0, random: &random) } == [
                300, 600, 1200, 2400, 3600, 3600,
            ])
        let jittered = RetrySchedule(initial: .seconds(300))
        for _ in 0..<100 { #expect((270...330).contains(jittered.delay(afterAttempt: 1, random: &random))) }
    }

    @Test func tokenBucketLimitsRate() {
        let start = Date(timeIntervalSince1970: 0)
        var bucket = TokenBucket(count: 2, per: 1, now: start)
        #expect(bucket.take(now: start) == nil)
        #expect(bucket.take(now: start) == nil)
        let wait = bucket.take(now: start)
        #expect(wait.map { abs($0.timeIntervalSince(start) - 0.5) < 0.001 } == true)
        #expect(bucket.take(now: start.addingTimeInterval(0.5)) == nil)
    }

    @Test func scheduledQueueOrdersByDueThenPriority() throws {
        var queue = ScheduledQueue()
        let now = Date()
        let id = QueueID.generate()
        queue.push(
            DeliveryItem(message: id, domain: "d", recipients: [0], due: now.addingTimeInterval(10), arrival: now))
        queue.push(DeliveryItem(message: id, domain: "d", recipients: [1], due: now, arrival: now, priority: 0))
        queue.push(DeliveryItem(message: id, domain: "d", recipients: [2], due: now, arrival: now, priority: 5))
        let due = queue.popDue(now: now)
        #expect(due.map(\.recipients) == [[2], [1]])
        #expect(queue.count == 1)
    }

    @Test func siteNameIsTheSetOfHosts() {
        let a = DeliveryPlan(hosts: [
            .init(name: "MX1.g.test", addresses: [], port: 25), .init(name: "mx2.g.test", addresses: [], port: 25),
        ])
        let b = DeliveryPlan(hosts: [
            .init(name: "mx2.g.test", addresses: ["1.2.3.4"], port: 25),
            .init(name: "mx1.g.test", addresses: [], port: 25),
        ])
        #expect(a.siteName == b.siteName)
    }
}
