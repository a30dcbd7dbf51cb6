using System.Management.Automation;
using Bitrix24.Rest.Connections;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>A cmdlet that talks to a portal: takes -Connection, else the runspace's current session.</summary>
    public abstract class B24ConnectedCmdlet : B24Cmdlet
    {
        /// <summary>The portal to use; by default the session of the last Connect-Bitrix24 in this runspace.</summary>
        [Parameter]
        public Bitrix24Connection Connection { get; set; }

        /// <summary>The connection in force for this call.</summary>
        protected Bitrix24Connection ActiveConnection { get; private set; }

        protected override void BeginProcessing()
        {
            ActiveConnection = Connection ?? SessionStore.Current;
            if (ActiveConnection == null) ThrowTerminatingError(ErrorMapper.NotConnected());
        }
    }
}
