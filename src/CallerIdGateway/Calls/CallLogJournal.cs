using System.Text;
using System.Text.Json;

namespace CallerIdGateway.Calls;

/// <summary>
/// The call log's local journal: one JSON line per call change, appended before the change is
/// stored and emptied once the database has everything. Each line is one write straight to the
/// file (no buffer of our own), so it survives a killed process; it does not survive a power cut
/// (no fsync per change: a storm would wait on the disk). Not thread-safe: <see cref="CallLog"/>
/// uses it under its lock.
/// </summary>
internal sealed class CallLogJournal : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private FileStream _file;

    private CallLogJournal(string path, FileStream file)
    {
        Path = path;
        _file = file;
    }

    public string Path { get; }

    /// <summary>Lines in the file now (appended or replayed).</summary>
    public int Lines { get; private set; }

    /// <summary>Opens (or creates) the journal for this process alone; throws <see cref="IOException"/> when another process has it.</summary>
    public static CallLogJournal Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return new CallLogJournal(full, OpenFile(full));
    }

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);

    /// <summary>The rows in the file, oldest first; a line cut short by a crash is skipped.</summary>
    public List<CallRecord> ReadAll()
    {
        var rows = new List<CallRecord>();
        _file.Position = 0;
        using var reader = new StreamReader(_file, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        while (reader.ReadLine() is { } line)
        {
            Lines++;
            try
            {
                if (JsonSerializer.Deserialize<CallRecord>(line, Json) is { } row)
                {
                    rows.Add(row);
                }
            }
            catch (JsonException)
            {
            }
        }
        _file.Seek(0, SeekOrigin.End);
        return rows;
    }

    public static byte[] Line(CallRecord row)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(row, Json);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    public void Append(byte[] line)
    {
        _file.Write(line);
        Lines++;
    }

    /// <summary>Empties the file: the database has everything.</summary>
    public void Clear()
    {
        _file.SetLength(0);
        Lines = 0;
    }

    /// <summary>Replaces the file with these rows, written aside and renamed over it, so a crash meanwhile keeps the old file.</summary>
    public void Rewrite(IReadOnlyCollection<CallRecord> rows)
    {
        var aside = Path + ".new";
        using (var file = new FileStream(aside, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            foreach (var row in rows)
            {
                file.Write(Line(row));
            }
        }
        _file.Dispose();
        File.Move(aside, Path, overwrite: true);
        _file = OpenFile(Path);
        _file.Seek(0, SeekOrigin.End);
        Lines = rows.Count;
    }

    public void Dispose() => _file.Dispose();
}
