using System;

namespace Bitrix24.Emulator
{
    /// <summary>
    /// Ways a portal may answer other than the REST docs say, switched on one at a time to show that
    /// Test-Bitrix24Connection notices. Off by default: the emulator otherwise follows the docs.
    /// </summary>
    [Flags]
    public enum PortalDivergence
    {
        None = 0,
        /// <summary>Answers carry no time block (limits.md documents one on every answer).</summary>
        NoTimeBlock = 1,
        /// <summary>crm.item.list and crm.item.get never return fm (universal/crm-item-list.md: fm comes with select *).</summary>
        NoMultiFieldsOnItems = 2,
        /// <summary>crm.deal.fields does not mark CATEGORY_ID immutable (crm/deals/crm-deal-fields.md does).</summary>
        DealPipelineNotImmutable = 4,
        /// <summary>crm.deal.update moves a deal to another pipeline (crm/deals/crm-deal-update.md says it does not).</summary>
        DealUpdateMovesPipeline = 8,
    }
}
