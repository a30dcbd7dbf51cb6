using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Reads leads: by id (crm.lead.get), or a filtered list (crm.lead.list) streamed page by page.</summary>
    [Cmdlet(VerbsCommon.Get, "B24Lead", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType("Bitrix24.Lead")]
    public sealed class GetB24LeadCommand : B24GetEntityCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Lead;
    }
}
