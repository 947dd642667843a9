/// Every template compiled and linked: each page knows its layout chain and where each block comes from.
struct TemplateSet: Sendable {
    let templates: [CompiledTemplate]
    let indexByName: [String: Int]
    let plans: [RenderPlan]

    /// Compiles all sources (name → text) and links them; the first problem found stops it.
    init(sources: [String: String], options: TemplateOptions) throws(TemplateError) {
        let names = sources.keys.sorted()
        var indexByName: [String: Int] = [:]
        for (index, name) in names.enumerated() { indexByName[name] = index }
        var templates: [CompiledTemplate] = []
        for name in names {
            templates.append(
                try Compiler.compile(name: name, source: Array(sources[name]!.utf8), templateIndex: indexByName, options: options)
            )
        }
        self.templates = templates
        self.indexByName = indexByName
        self.plans = try templates.indices.map { index throws(TemplateError) in try Self.plan(for: index, in: templates) }
        try Self.checkIncludes(templates)
    }

    /// Follows `extends` up to the outermost layout and decides which template supplies each block.
    private static func plan(for index: Int, in templates: [CompiledTemplate]) throws(TemplateError) -> RenderPlan {
        var chain = [index]
        while let parent = templates[chain.last!].parent {
            if chain.contains(parent.index) {
                let template = templates[chain.last!]
                throw TemplateError(template: template.name, source: template.source, offset: parent.offset, message: "layouts extend each other in a circle")
            }
            chain.append(parent.index)
        }
        var blocks: [String: BlockReference] = [:]
        for position in chain.indices.reversed() {
            for (name, block) in templates[chain[position]].blocks {
                blocks[name] = BlockReference(framePosition: position, entry: block.entry, references: block.references)
            }
        }
        // A block the page (or a middle layout) fills must be one the layouts actually render.
        var rendered = Set<String>()
        var pending = templates[chain.last!].blockReferences
        while let name = pending.popLast() {
            guard rendered.insert(name).inserted, let block = blocks[name] else { continue }
            pending.append(contentsOf: block.references)
        }
        for position in chain.indices.dropLast() {
            let template = templates[chain[position]]
            for name in template.blocks.keys.sorted() where !rendered.contains(name) {
                let layout = templates[chain[position + 1]]
                throw TemplateError(template: template.name, line: 1, column: 1, message: "layout '\(layout.name)' has no block named '\(name)'")
            }
        }
        return RenderPlan(chain: chain, blocks: blocks)
    }

    /// Refuses includes that loop back on themselves or that pull in layouts or blocks.
    private static func checkIncludes(_ templates: [CompiledTemplate]) throws(TemplateError) {
        var state = [Int: Bool]()  // false while being visited, true once done
        func visit(_ index: Int, from includer: (template: CompiledTemplate, offset: Int)?) throws(TemplateError) {
            if state[index] == true { return }
            let template = templates[index]
            if state[index] == false, let includer {
                throw TemplateError(template: includer.template.name, source: includer.template.source, offset: includer.offset, message: "'\(template.name)' includes itself through other templates")
            }
            if let includer, template.parent != nil || !template.blocks.isEmpty {
                throw TemplateError(template: includer.template.name, source: includer.template.source, offset: includer.offset, message: "'\(template.name)' has blocks or a layout and cannot be included")
            }
            state[index] = false
            for call in template.includes { try visit(call.template, from: (template, call.offset)) }
            state[index] = true
        }
        for index in templates.indices { try visit(index, from: nil) }
    }

}

/// How to render one page: its layout chain (page first) and each block's source.
struct RenderPlan: Sendable {
    let chain: [Int]
    let blocks: [String: BlockReference]
}

/// The winning body of a block: which template of the chain defines it and where it starts.
struct BlockReference: Sendable {
    let framePosition: Int
    let entry: Int
    let references: [String]
}
