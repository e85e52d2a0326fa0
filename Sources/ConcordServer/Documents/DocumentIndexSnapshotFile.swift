import ConcordMatching
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The document index snapshot on disk: the format is ConcordMatching's, the file handling is
/// here. Plain POSIX calls, because a snapshot is gigabytes at full size and goes through a
/// fixed buffer rather than through `Data`.
public enum DocumentIndexSnapshotFile {
    public struct FileError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes the snapshot next to `path` and renames it into place, so a crash while writing
    /// leaves the previous snapshot (or none), never half of one. Returns the bytes written.
    @discardableResult
    public static func write(
        _ index: DocumentIndex, at position: DocumentIndex.SnapshotPosition, to path: String
    ) throws -> Int {
        let temporary = "\(path).\(UUID().uuidString.prefix(8)).partial"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create \(temporary)") }
        var written = 0
        do {
            try index.writeSnapshot(at: position) { bytes in
                var offset = 0
                while offset < bytes.count {
                    let result = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if result < 0 && errno == EINTR { continue }
                    guard result > 0 else { throw failure("cannot write \(temporary)") }
                    offset += result
                }
                written += bytes.count
            }
            guard fsync(descriptor) == 0 else { throw failure("cannot flush \(temporary)") }
            guard close(descriptor) == 0 else { throw failure("cannot close \(temporary)") }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("cannot rename \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
        // Makes the rename itself durable.
        let folder = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
        return written
    }

    /// Reads a snapshot; nil if there is no file. Throws `DocumentIndex.SnapshotError` for a file
    /// that is not a complete, intact snapshot this build can read.
    public static func read(
        from path: String
    ) throws -> (index: DocumentIndex, position: DocumentIndex.SnapshotPosition)? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("cannot open \(path)")
        }
        defer { close(descriptor) }
        return try DocumentIndex.readSnapshot { buffer in
            while true {
                let result = systemRead(descriptor, buffer.baseAddress!, buffer.count)
                if result < 0 && errno == EINTR { continue }
                guard result >= 0 else { throw failure("cannot read \(path)") }
                return result
            }
        }
    }

    private static func failure(_ what: String) -> FileError {
        FileError(description: "\(what): \(String(cString: strerror(errno)))")
    }
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}

private func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, bytes, count)
    #else
    Darwin.read(descriptor, bytes, count)
    #endif
}
