using System.Runtime.InteropServices;

namespace Ferry.Inference.Batching;

/// <summary>Puts the calling thread in Linux's <c>SCHED_IDLE</c> class: it runs only when no ordinary thread wants its core.</summary>
internal static partial class IdlePriority
{
    private const int SchedIdle = 5;

    /// <returns>False where the system has no such class or refuses it; the thread then keeps its priority.</returns>
    public static bool TrySetForCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // sched_param holds one int, the static priority, which must be 0 for SCHED_IDLE; pid 0 is this thread.
            var priority = 0;
            return SchedSetScheduler(0, SchedIdle, ref priority) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int SchedSetScheduler(int pid, int policy, ref int param);
}
