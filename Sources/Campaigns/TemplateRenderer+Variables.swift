import Mustache

extension TemplateRenderer {
    /// Every variable and section name `source` uses, in order of first use, as written (transforms stripped;
    /// `.` left out).
    public static func variables(in source: String) -> [String] {
        var names: [String] = []
        var seen: Set<String> = []
        func walk(_ nodes: [TemplateNode]) {
            for node in nodes {
                switch node {
                case .variable(let name, _):
                    if !name.isEmpty, name != ".", seen.insert(name).inserted { names.append(name) }
                case .section(let name, _, let children):
                    if !name.isEmpty, name != ".", seen.insert(name).inserted { names.append(name) }
                    walk(children)
                case .group(let children):
                    walk(children)
                }
            }
        }
        walk(TemplateTagScanner.scan(source))
        return names
    }

    /// The variables of one part of this template (see ``variables(in:)-swift.type.method``).
    public func variables(in part: TemplatePart) -> [String] { Self.variables(in: template[part]) }

    /// Variables no recipient can have (`"unknown"`), and, given a sample recipient, variables that render
    /// empty for it (`"missing"`; not counting those inside a section that would not render for it).
    public func check(known: TemplateVariables, sample: RenderContext? = nil) -> [TemplateProblem] {
        var problems: [TemplateProblem] = []
        for part in TemplatePart.allCases {
            let nodes = TemplateTagScanner.scan(template[part])
            var unknown = UnknownVariableWalk(known: known)
            unknown.walk(nodes, frames: [])
            for name in unknown.names {
                problems.append(TemplateProblem(part: part.rawValue, variable: name, problem: TemplateProblem.unknown))
            }
            guard let sample else { continue }
            var missing = MissingVariableWalk(skipping: Set(unknown.names))
            missing.walk(nodes, stack: [MustacheScope(context: sample)])
            for name in missing.names {
                problems.append(TemplateProblem(part: part.rawValue, variable: name, problem: TemplateProblem.missing))
            }
        }
        return problems
    }

    /// ``check(known:sample:)`` for a template that may not compile: then its compile errors, one per part.
    public static func check(
        _ template: EmailTemplate, known: TemplateVariables, sample: RenderContext? = nil
    ) -> [TemplateProblem] {
        do {
            return try TemplateRenderer(template).check(known: known, sample: sample)
        } catch {
            return compileErrors(template).map(\.problem)
        }
    }
}

/// Finds unknown names, resolving each the way Mustache does: in the innermost enclosing object section
/// first (`{{#campaign}}{{name}}{{/campaign}}` is `campaign.name`), then outwards to the top.
private struct UnknownVariableWalk {
    /// An enclosing section: an object (its dotted path) or an item of a list or a value.
    enum Frame {
        case object(String)
        case item
    }

    let known: TemplateVariables
    var names: [String] = []
    private var seen: Set<String> = []

    init(known: TemplateVariables) { self.known = known }

    mutating func walk(_ nodes: [TemplateNode], frames: [Frame]) {
        for node in nodes {
            switch node {
            case .variable(let name, _):
                if resolve(name, frames: frames, section: false) == nil { report(name) }
            case .section(let name, _, let children):
                guard let path = resolve(name, frames: frames, section: true) else {
                    report(name)
                    walk(children, frames: frames + [.item])
                    continue
                }
                walk(children, frames: frames + [known.isObject(path) ? .object(path) : .item])
            case .group(let children):
                walk(children, frames: frames)
            }
        }
    }

    private mutating func report(_ name: String) {
        if seen.insert(name).inserted { names.append(name) }
    }

    /// The dotted path from the top that `name` means here, or nil when it is unknown.
    private func resolve(_ name: String, frames: [Frame], section: Bool) -> String? {
        // `.` (and a bare transform such as `index()`) is the current item: valid inside a section only.
        if name == "." || name.isEmpty { return frames.isEmpty ? nil : "." }
        func isKnown(_ path: String) -> Bool { known.contains(path) || (section && known.isObject(path)) }
        if name.hasPrefix(".") {
            // `.x`: the current object only, no climbing.
            guard case .object(let path) = frames.last else { return nil }
            let candidate = path + name
            return isKnown(candidate) ? candidate : nil
        }
        for frame in frames.reversed() {
            if case .object(let path) = frame, isKnown(path + "." + name) { return path + "." + name }
        }
        return isKnown(name) ? name : nil
    }
}

/// Finds variables that render empty for a sample recipient, following the sections that render for it.
private struct MissingVariableWalk {
    let skipping: Set<String>
    var names: [String] = []
    private var seen: Set<String> = []

    init(skipping: Set<String>) { self.skipping = skipping }

    mutating func walk(_ nodes: [TemplateNode], stack: [Any]) {
        for node in nodes {
            switch node {
            case .variable(let name, _):
                guard !name.isEmpty, name != ".", !skipping.contains(name) else { continue }
                if Self.isEmpty(Self.lookup(name, stack: stack)), seen.insert(name).inserted { names.append(name) }
            case .section(let name, let inverted, let children):
                guard !name.isEmpty, name != "." else {
                    walk(children, stack: stack)
                    continue
                }
                let value = Self.lookup(name, stack: stack)
                let truthy = !Self.isEmpty(value) && (value as? Bool) != false
                if inverted {
                    if !truthy { walk(children, stack: stack) }
                } else if let list = value as? MustacheTagList {
                    if let first = list.tags.first { walk(children, stack: stack + [first]) }
                } else if truthy, let value {
                    walk(children, stack: stack + [value])
                }
            case .group(let children):
                walk(children, stack: stack)
            }
        }
    }

    /// Mustache name resolution over ``MustacheScope`` values: the first component in the innermost object
    /// that has it, the rest below that.
    static func lookup(_ name: String, stack: [Any]) -> Any? {
        var components = name.split(separator: ".", omittingEmptySubsequences: true)[...]
        guard let first = components.popFirst() else { return stack.last }
        var current: Any?
        if name.hasPrefix(".") {
            current = (stack.last as? MustacheParent)?.child(named: String(first))
        } else {
            current = stack.reversed().lazy.compactMap { ($0 as? MustacheParent)?.child(named: String(first)) }.first
        }
        for component in components {
            current = (current as? MustacheParent)?.child(named: String(component))
        }
        return current
    }

    static func isEmpty(_ value: Any?) -> Bool {
        switch value {
        case .none: true
        case let string as String: string.isEmpty
        case let list as MustacheTagList: list.tags.isEmpty
        default: false
        }
    }
}
