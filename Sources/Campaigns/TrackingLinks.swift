import Foundation

/// The URLs a campaign message carries for one recipient, and the rewriting of its HTML so that clicks and
/// opens come back to Petrel: `BASE/t/c/TOKEN` (click, redirecting to the original URL), `BASE/t/o/TOKEN`
/// (open pixel), `BASE/u/TOKEN` (unsubscribe), `BASE/p/TOKEN` (preferences), `BASE/confirm/TOKEN`
/// (double opt-in).
public struct TrackingLinks: Sendable {
    /// The public base URL, without a trailing `/`, e.g. `http://127.0.0.1:8025`.
    public let baseURL: String
    public let tokens: TrackingTokens
    private let baseBytes: [UInt8]

    public init(baseURL: String, tokens: TrackingTokens) {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        self.baseURL = String(base)
        self.tokens = tokens
        baseBytes = Array(self.baseURL.utf8)
    }

    public func clickURL(campaign: Int64, contact: Int64, link: UInt16, url: String) -> String {
        baseURL + "/t/c/" + tokens.make(.click(campaign: campaign, contact: contact, link: link, url: url))
    }

    public func openURL(campaign: Int64, contact: Int64) -> String {
        baseURL + "/t/o/" + tokens.make(.open(campaign: campaign, contact: contact))
    }

    public func unsubscribeURL(campaign: Int64, contact: Int64) -> String {
        baseURL + "/u/" + tokens.make(.unsubscribe(campaign: campaign, contact: contact))
    }

    public func preferencesURL(campaign: Int64, contact: Int64) -> String {
        baseURL + "/p/" + tokens.make(.preferences(campaign: campaign, contact: contact))
    }

    public func confirmURL(contact: Int64, issuedAt: Date = Date()) -> String {
        baseURL + "/confirm/" + tokens.make(.confirm(contact: contact, issuedAt: issuedAt))
    }

    /// The invisible 1×1 image whose loading counts as an open.
    public func openPixel(campaign: Int64, contact: Int64) -> String {
        Self.pixelOpen + openURL(campaign: campaign, contact: contact) + Self.pixelClose
    }

    /// The pixel's markup around its URL.
    private static let pixelOpen = "<img src=\""
    private static let pixelClose = "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">"

    /// `html` with every `http(s)` link of an `<a>` element pointing at its click URL and the open pixel
    /// before `</body>` (at the end when there is none).
    ///
    /// Left alone: other schemes (`mailto:`, `tel:` …), fragments, relative URLs, URLs under ``baseURL``
    /// (unsubscribe and preference links) and links with a `data-no-track` attribute. Character references
    /// in the href (`&amp;`) are decoded before the URL is signed. One pass over the bytes; links are
    /// numbered from 0 in document order.
    public func rewrite(html: String, campaign: Int64, contact: Int64) -> String {
        String(decoding: rewrite(html: Array(html.utf8), campaign: campaign, contact: contact), as: UTF8.self)
    }

    /// ``rewrite(html:campaign:contact:)`` on UTF-8 bytes. `known` is what ``knownLinks(html:)`` returned for
    /// an earlier rendering of the same template: hrefs that did not change are not decoded again.
    func rewrite(
        html: [UInt8], campaign: Int64, contact: Int64, known: [HTMLLinkRewriter.KnownLink] = []
    ) -> [UInt8] {
        html.withUnsafeBufferPointer { input in
            var rewriter = HTMLLinkRewriter(input: input, base: baseBytes, known: known)
            var pixel: [UInt8] = []
            pixel.reserveCapacity(160)
            pixel.appendUTF8(Self.pixelOpen)
            pixel.append(contentsOf: baseBytes)
            pixel.appendUTF8("/t/o/")
            tokens.append(.open(campaign: campaign, contact: contact), to: &pixel)
            pixel.appendUTF8(Self.pixelClose)
            return rewriter.run(pixel: pixel) { index, url, output in
                output.append(contentsOf: baseBytes)
                output.appendUTF8("/t/c/")
                tokens.append(.click(campaign: campaign, contact: contact, link: index, url: url), to: &output)
            }
        }
    }

    /// How each `<a>` of `html` resolves, to pass to ``rewrite(html:campaign:contact:known:)``.
    func knownLinks(html: [UInt8]) -> [HTMLLinkRewriter.KnownLink] {
        html.withUnsafeBufferPointer { input in
            var rewriter = HTMLLinkRewriter(input: input, base: baseBytes)
            rewriter.learned = []
            _ = rewriter.run(pixel: []) { _, _, _ in }
            return rewriter.learned ?? []
        }
    }
}
