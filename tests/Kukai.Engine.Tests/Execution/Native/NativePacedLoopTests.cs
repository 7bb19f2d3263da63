using System.Diagnostics;
using Kukai.Engine.Execution;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;
using Kukai.Engine.Tests.Testing;

namespace Kukai.Engine.Tests.Execution.Native;

/// <summary>
/// The paced native event loop's use of the CPU while it cannot send. Runs alone: it measures the CPU of every event
/// loop thread in the process.
/// </summary>
[Collection(nameof(ProcessWideCollection))]
public sealed class NativePacedLoopTests
{
    [Fact]
    public async Task RunAsync_EveryLaneBusyOnAHangingTarget_LoopWaitsForTheTargetInsteadOfSpinning()
    {
        // 20 000 requests/s on two connections to a server that never answers: both lanes are busy from the first
        // milliseconds, a request is due every 50 µs and none can leave. A loop spinning on the schedule would burn its
        // whole core here (and on a small machine take it from the target it waits for); it sleeps until an answer, a
        // timeout or its 10 ms housekeeping instead, and drops what is due past the capacity when it wakes.
        await using var server = CountingHttpServer.Start(hang: true);
        var plan = new LoadPlan
        {
            Type = TestType.Tsunami,
            Rps = 20_000,
            Connections = 2,
            Concurrency = 2, // no backlog: everything due after the first two is dropped
            DurationSeconds = 1,
            TimeoutMs = 1_500,
            Targets = [new TargetPlan { Url = server.Url() }],
        };
        await using var runner = new LoadRunner(plan, new RunContext("driver-1") with { NativeEventLoop = true }, TimeProvider.System);
        var recorder = new RunRecorder();
        var run = recorder.RunAsync(runner);

        await server.WaitForRequestsAsync(2).Within();
        var (loops, cpuBefore) = LoopThreadsCpu();
        var wallBefore = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromMilliseconds(400)); // the interval measured, not a wait for anything
        var (_, cpuAfter) = LoopThreadsCpu();
        var wall = Stopwatch.GetElapsedTime(wallBefore);
        await run;

        Assert.Equal(1, loops);
        var share = (cpuAfter - cpuBefore) / (wall.TotalMilliseconds * 1e6);
        Assert.True(share < 0.25, $"the loop was on the CPU {share:P0} of the time while it could not send");
        var total = recorder.Total;
        Assert.Equal((2L, 2L), (total.Sent, server.Requests));
        Assert.Equal(2, total.ErrorsOf(ErrorKind.Timeout));
        Assert.True(total.Dropped > 10_000, $"{total.Dropped} dropped of ~20 000 due");
    }

    // The process's event loop threads and their CPU time so far (schedstat: nanoseconds on the CPU).
    private static (int Threads, long Nanoseconds) LoopThreadsCpu()
    {
        var (threads, sum) = (0, 0L);
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() == "kukai-event-loo") // names are cut to 15 bytes
                {
                    sum += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0]);
                    threads++;
                }
            }
            catch (IOException)
            {
                // the thread ended meanwhile
            }
        }

        return (threads, sum);
    }
}
