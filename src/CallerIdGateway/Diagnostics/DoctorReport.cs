namespace CallerIdGateway.Diagnostics;

public enum DoctorOutcome
{
    /// <summary>Nothing to check (a link that is off).</summary>
    Skipped,

    Passed,

    /// <summary>Works, but is risky: does not fail the run.</summary>
    Warned,

    Failed,
}

/// <summary>One line of <c>doctor</c>'s output: what was checked, what was found and, when it failed, what to do.</summary>
public sealed record DoctorLine(DoctorOutcome Outcome, string Subject, string Finding, string? Fix = null)
{
    public override string ToString()
    {
        var mark = Outcome switch
        {
            DoctorOutcome.Passed => "✓",
            DoctorOutcome.Failed => "✗",
            DoctorOutcome.Warned => "!",
            _ => "-",
        };
        return Fix is null ? $"{mark} {Subject}: {Finding}" : $"{mark} {Subject}: {Finding} Fix: {Fix}";
    }
}

/// <summary>The lines of one <c>doctor</c> run, written as they come so a slow check shows where it is.</summary>
public sealed class DoctorReport(TextWriter output)
{
    private readonly List<DoctorLine> _lines = [];

    public IReadOnlyList<DoctorLine> Lines => _lines;

    public bool Failed => _lines.Any(l => l.Outcome == DoctorOutcome.Failed);

    public void Add(DoctorLine line)
    {
        _lines.Add(line);
        output.WriteLine(line.ToString());
    }

    public void Pass(string subject, string finding) => Add(new DoctorLine(DoctorOutcome.Passed, subject, finding));

    public void Fail(string subject, string finding, string fix) => Add(new DoctorLine(DoctorOutcome.Failed, subject, finding, fix));

    public void Warn(string subject, string finding, string fix) => Add(new DoctorLine(DoctorOutcome.Warned, subject, finding, fix));

    public void Skip(string subject, string finding) => Add(new DoctorLine(DoctorOutcome.Skipped, subject, finding));
}
