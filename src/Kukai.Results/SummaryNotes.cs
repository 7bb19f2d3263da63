using System.Globalization;
using Kukai.Engine.Plans;

namespace Kukai.Results;

/// <summary>
/// What a test's numbers warn of, one sentence each, for the CLI's summary and the report's notes: nothing completed,
/// every request failed, and the causes of late requests with what to change (waiting for a busy connection is the
/// target's pace against the plan's connections; leaving late with a connection free is the load generator behind).
/// </summary>
public static class SummaryNotes
{
    public static IReadOnlyList<string> For(TestSummary summary)
    {
        var ic = CultureInfo.InvariantCulture;
        var a = summary.Aggregate;
        var notes = new List<string>(3);
        if (a.Count == 0)
        {
            notes.Add("No request completed in this test.");
        }
        else if (a.Ok == 0)
        {
            notes.Add("Every request failed: the latencies are those of failures.");
        }

        if (a.LateConnectionsBusy is not { } busy)
        {
            return notes; // results from before late requests were split by cause: nothing to say about causes
        }

        if (busy > 0)
        {
            var (key, value) = summary.Plan.Type == TestType.Tsunami
                ? ("connections", summary.Plan.EffectiveConnections())
                : ("concurrency", summary.Plan.EffectiveConcurrency());
            notes.Add($"{busy.ToString("N0", ic)} request(s) left late because every connection was busy: the target " +
                $"answered too slowly for {key} = {value.ToString(ic)} per driver at this rate (raise {key} if it can take more at once, " +
                "or lower the rate).");
        }

        if (a.Late - busy is var behind and > 0)
        {
            notes.Add($"{behind.ToString("N0", ic)} request(s) left late with a connection free: the load generator itself fell behind " +
                "its schedule (CPU, a pause). Their latencies include that delay.");
        }

        return notes;
    }
}
