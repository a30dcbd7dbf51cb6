using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using Bitrix24.Rest.Connections;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// The current connection, one per runspace (not a process-wide static): parallel runspaces and
    /// thread jobs each start unconnected and pass -Connection, as runbooks do.
    /// </summary>
    internal static class SessionStore
    {
        private sealed class Slot { public Bitrix24Connection Connection; }

        private static readonly ConditionalWeakTable<Runspace, Slot> Slots = new ConditionalWeakTable<Runspace, Slot>();

        public static Bitrix24Connection Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace != null && Slots.TryGetValue(runspace, out var slot) ? slot.Connection : null;
            }
            set
            {
                var runspace = Runspace.DefaultRunspace;
                if (runspace == null) return;
                Slots.GetOrCreateValue(runspace).Connection = value;
            }
        }
    }
}
