export declare function dashboardHtml(): string;
