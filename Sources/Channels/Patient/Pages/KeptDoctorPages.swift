import Hummingbird
import Web
import MISBridge
import Synchronization

/// Doctors' free-time pages as a visitor who is not signed in sees them, kept while the doctor's
/// shared free times are unchanged: the same page is not rendered again for every visitor of a
/// busy doctor. A page is dropped as soon as the free times it shows change (a booking through the
/// registry takes its time out at once) and never outlives them.
final class KeptDoctorPages: Sendable {
    private struct Page {
        let body: ByteBuffer
        let stamp: FreeTimesStamp
    }

    private let pages = Mutex<[String: Page]>([:])
    /// More pages than this and the oldest are not worth keeping: all are dropped and built again.
    private let capacity: Int

    init(capacity: Int = 5_000) {
        self.capacity = capacity
    }

    /// The kept page at `path`, if what it shows is still current.
    func response(for path: String, now: ContinuousClock.Instant = .now) -> Response? {
        guard let page = pages.withLock({ $0[path] }) else { return nil }
        guard page.stamp.isCurrent(now: now) else {
            pages.withLock { if $0[path]?.stamp == page.stamp { $0[path] = nil } }
            return nil
        }
        return PageRenderer.htmlResponse(page.body, caching: .revalidate)
    }

    /// Keeps `body`, built from the doctor's free times whose `stamp` was read before them.
    func keep(_ body: ByteBuffer, for path: String, stamp: FreeTimesStamp) {
        guard stamp.expires != nil else { return }
        pages.withLock { pages in
            if pages.count >= capacity { pages.removeAll() }
            pages[path] = Page(body: body, stamp: stamp)
        }
    }
}
