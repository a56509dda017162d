using System.Runtime.InteropServices;

namespace Ferry.Inference.Batching;

/// <summary>
/// Gives the calling thread the lowest ordinary priority (nice 19 on Linux): the scheduler runs it when the threads
/// at the usual priority have nothing to do, and gives it a small share (~1.5 %) of a core they keep busy, so that
/// it is never held off for long.
/// </summary>
/// <remarks>
/// Linux's <c>SCHED_IDLE</c> class would also wait for idle moments, but a thread in it can be held off for as long
/// as any other thread keeps the core busy: a runner preempted in the middle of a batch held its session through a
/// prediction-log flush, and every caller of the model waited (p99 207 ms at 64 connections in one bench run).
/// </remarks>
internal static partial class IdlePriority
{
    private const int PrioProcess = 0;
    private const int Lowest = 19;

    /// <returns>False where the system refuses; the thread then keeps its priority.</returns>
    public static bool TrySetForCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // On Linux a nice value belongs to a thread: given a thread id, setpriority changes that thread only.
            return SetPriority(PrioProcess, GetTid(), Lowest) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
