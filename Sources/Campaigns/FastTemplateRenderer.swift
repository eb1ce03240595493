/// Renders a ``FastTemplateNode`` tree for one ``RenderContext`` the way swift-mustache renders the same
/// template over ``MustacheScope`` (same lookups, truthiness and output), without its per-lookup dynamic
/// casts. Returns nil where swift-mustache would print a Swift description of an object (`{{fields}}`,
/// `{{.}}` at the top): the caller then renders with swift-mustache.
struct FastTemplateRenderer {
    /// A value as swift-mustache would see it from ``MustacheScope``.
    enum Value {
        case string(String)
        case int(Int64)
        case list([String])
        case root, fields, campaign
    }

    private let context: RenderContext
    private let escapes: Bool
    private var stack: [Value] = [.root]
    /// UTF-8 bytes: appending to an array is cheaper than to a `String`, and the result is validated once.
    private var output: [UInt8] = []

    private init(context: RenderContext, escapes: Bool) {
        self.context = context
        self.escapes = escapes
    }

    static func render(_ nodes: [FastTemplateNode], context: RenderContext, escapes: Bool, capacity: Int) -> String? {
        renderBytes(nodes, context: context, escapes: escapes, capacity: capacity).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// ``render(_:context:escapes:capacity:)`` as UTF-8 bytes, for output that is processed further as bytes.
    static func renderBytes(
        _ nodes: [FastTemplateNode], context: RenderContext, escapes: Bool, capacity: Int
    ) -> [UInt8]? {
        var renderer = FastTemplateRenderer(context: context, escapes: escapes)
        renderer.output.reserveCapacity(capacity)
        guard renderer.render(nodes) else { return nil }
        return renderer.output
    }

    private mutating func render(_ nodes: [FastTemplateNode]) -> Bool {
        for node in nodes {
            switch node {
            case .text(let text):
                output.appendUTF8(text)
            case .variable(let name, let escaped):
                switch lookup(name) {
                case .none: break
                case .string(let text): append(text, escaped: escaped)
                case .int(let number): output.append(contentsOf: String(number).utf8)
                case .list(let items): append(items.joined(separator: ", "), escaped: escaped)
                case .root, .fields, .campaign: return false
                }
            case .section(let name, let inverted, let children):
                let value = lookup(name)
                if case .list(let items) = value {
                    if inverted {
                        guard items.isEmpty else { continue }
                        guard renderPushing(.list(items), children) else { return false }
                    } else {
                        for item in items {
                            guard renderPushing(.string(item), children) else { return false }
                        }
                    }
                } else if let value {
                    if !inverted {
                        guard renderPushing(value, children) else { return false }
                    }
                } else if inverted {
                    guard render(children) else { return false }
                }
            }
        }
        return true
    }

    private mutating func renderPushing(_ value: Value, _ nodes: [FastTemplateNode]) -> Bool {
        stack.append(value)
        defer { stack.removeLast() }
        return render(nodes)
    }

    private mutating func append(_ text: String, escaped: Bool) {
        if escaped, escapes {
            HTMLEscaping.append(text, to: &output)
        } else {
            output.appendUTF8(text)
        }
    }

    /// swift-mustache's `getChild`: `.` is the innermost value; otherwise the first component is looked up
    /// in the innermost value that has it (only the innermost for `.name`), the rest below it.
    private func lookup(_ name: FastTemplateName) -> Value? {
        guard let first = name.components.first else { return stack.last }
        var current: Value?
        if name.relative {
            current = stack.last.flatMap { child(of: $0, first) }
        } else {
            for frame in stack.reversed() {
                if let found = child(of: frame, first) {
                    current = found
                    break
                }
            }
        }
        for key in name.components.dropFirst() {
            guard let parent = current else { return nil }
            current = child(of: parent, key)
        }
        return current
    }

    /// ``MustacheScope`` and friends' `child(named:)`; strings, numbers and lists have no children.
    private func child(of value: Value, _ key: FastTemplateKey) -> Value? {
        switch value {
        case .root:
            switch key.top {
            case .email: Self.present(context.email)
            case .firstName: Self.present(context.firstName)
            case .lastName: Self.present(context.lastName)
            case .tags: .list(context.tags)
            case .fields: .fields
            case .campaign: .campaign
            case .unsubscribeURL: Self.present(context.unsubscribeURL)
            case .preferencesURL: Self.present(context.preferencesURL)
            case .postalAddress: Self.present(context.postalAddress)
            case nil: nil
            }
        case .fields:
            context.fields[key.name].flatMap(Self.present)
        case .campaign:
            switch key.name {
            case "name": Self.present(context.campaignName)
            case "id": .int(context.campaignID)
            default: context.campaignData[key.name].flatMap(Self.present)
            }
        case .string, .int, .list:
            nil
        }
    }

    private static func present(_ text: String) -> Value? { text.isEmpty ? nil : .string(text) }
}
