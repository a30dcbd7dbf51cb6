using System;
using System.Linq;
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
            ResolveTarget();
        }

        /// <summary>Settles what the command works on once connected, before anything uses it (the CRM type of -B24Item).</summary>
        protected virtual void ResolveTarget() { }

        /// <summary>The CRM type named by -EntityTypeId or by its title (-Type), with its schema (one request the
        /// first time, cached per connection); a terminating error when there is none or none was given.</summary>
        protected CrmSchema ResolveItemType(Parameters.ItemTypeParameters given)
        {
            var type = given.Type;
            int? entityTypeId = MyInvocation.BoundParameters.ContainsKey(nameof(given.EntityTypeId)) ? given.EntityTypeId : (int?)null;
            if (entityTypeId == null && string.IsNullOrWhiteSpace(type))
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                    $"{MyInvocation.MyCommand.Name} needs the CRM type: -EntityTypeId <n> or -Type <title> (Get-B24ItemType lists them)."),
                    "Bitrix24.ItemTypeMissing", ErrorCategory.InvalidArgument, null));
            try
            {
                if (entityTypeId == null)
                {
                    System.Collections.Generic.IReadOnlyList<CrmItemType> types;
                    try { types = Await((cancel, log) => CrmSchema.GetItemTypesAsync(ActiveConnection.Client, cancel, log)); }
                    catch (Bitrix24Exception ex) when (ex.Kind == Bitrix24ErrorKind.AccessDenied)
                    {
                        ThrowTerminatingError(new ErrorRecord(new UnauthorizedAccessException(
                                $"-Type needs the list of CRM types (crm.type.list), which needs CRM admin rights ({ex.Description}); give -EntityTypeId instead.", ex),
                            "Bitrix24.ItemTypesDenied", ErrorCategory.PermissionDenied, type));
                        return null;
                    }
                    var match = CrmItemType.Titled(types, type);
                    if (match == null)
                        ThrowTerminatingError(new ErrorRecord(new ArgumentException(types.Count == 0
                                ? $"The portal has no CRM type titled '{type}': it has no smart processes."
                                : $"The portal has no CRM type titled '{type}'; its types are {string.Join(", ", types.Select(t => $"'{t.Title}' ({t.EntityTypeId})"))}."),
                            "Bitrix24.ItemTypeNotFound", ErrorCategory.ObjectNotFound, type));
                    entityTypeId = match.EntityTypeId;
                }
                var classic = CrmEntity.All.FirstOrDefault(e => e.EntityTypeId == entityTypeId);
                if (classic != null)
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                        $"entityTypeId {entityTypeId} is a {classic.ApiName}: use the -B24{classic.Name} cmdlets (connect with -Api Item to use crm.item for them)."),
                        "Bitrix24.ClassicEntityType", ErrorCategory.InvalidArgument, entityTypeId));
                return Await((cancel, log) => CrmSchema.GetItemTypeAsync(ActiveConnection.Client, entityTypeId.Value, cancel, log));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && !(ex is RuntimeException))
            {
                ThrowB24Error(ex, entityTypeId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? type);
                return null;
            }
        }

        /// <summary>Finds the ids of the users named by e-mail (one user.get for all of them), before anything is sent;
        /// an address that is not one active user's stops the command.</summary>
        protected void ResolveUsers(System.Collections.Generic.IEnumerable<Parameters.UserReference> users)
        {
            var byEmail = users.Where(u => u != null && u.NeedsLookup).ToList();
            if (byEmail.Count == 0) return;
            try
            {
                var found = Await((cancel, log) => new Bitrix24.Rest.Users.UserDirectory(ActiveConnection.Client).ResolveEmailsAsync(byEmail.Select(u => u.Email), cancel, log));
                foreach (var user in byEmail)
                {
                    user.Found(found[user.Email]);
                    WriteVerbose($"{user.Email} is user {user.Id}.");
                }
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowB24Error(ex, ActiveConnection.Portal);
            }
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
