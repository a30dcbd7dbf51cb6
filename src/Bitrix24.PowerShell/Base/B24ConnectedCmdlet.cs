using System.Management.Automation;
using Bitrix24.Rest.Connections;
using Bitrix24.Rest.Crm;
using Bitrix24.Rest.Transport;

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
            if (ActiveConnection.IsClosed) ThrowB24Error(ActiveConnection.ClosedError(), ActiveConnection.Portal);
        }

        /// <summary>Token renewal events: raised here, on the pipeline thread, so script block handlers run.</summary>
        protected override void OnPipelineThread() => ActiveConnection?.RaisePendingEvents();

        /// <summary>The portal's field schema (cached per connection; one request the first time). Without
        /// it, validation falls back to the documented fields, and says so.</summary>
        protected CrmSchema ReadSchema(Bitrix24Client client, CrmEntity entity)
        {
            try
            {
                return Await((cancel, log) => CrmSchema.GetAsync(client, entity, cancel, log));
            }
            catch (Bitrix24Exception ex) when (ex.Kind != Bitrix24ErrorKind.Authentication)
            {
                WriteWarning($"Could not read the portal's {entity.ApiName} fields ({ex.Message}); checking against the documented fields only.");
                return null;
            }
            catch (Bitrix24Exception ex)
            {
                ThrowB24Error(ex, ActiveConnection.Portal);
                return null;
            }
        }
    }
}
