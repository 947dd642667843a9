/// The bytes a render writes: a growable buffer appended to with `memcpy`, without the uniqueness
/// and capacity bookkeeping of `Array` on every small append.
struct OutputBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 256)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ string: String) {
        if string.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var copy = string
            copy.withUTF8 { append($0) }
        }
    }

    /// Appends `string` with `& < > " '` replaced by entities, in one pass over its UTF-8.
    mutating func appendEscaped(_ string: String) {
        if string.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) == nil {
            var copy = string
            copy.withUTF8 { appendEscaped($0) }
        }
    }

    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte <= 0x3E, let entity = HTMLEscaping.entity(for: byte) else { continue }  // all specials are ≤ '>'
            if runStart < index { append(UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            entity.withUnsafeBufferPointer { append($0) }
            runStart = index + 1
        }
        if runStart < bytes.count { append(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
    }

    /// The bytes written, as an array; the buffer is gone afterwards.
    consuming func bytes() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let newCapacity = max(capacity * 2, count + extra)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.initialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}
